/**
 * Publishes pre-encoded clips through a mediasoup-client send transport running on werift.
 *
 * werift 0.24.4 cannot send simulcast ("sender simulcast unsupported now" in its RTCRtpSender:
 * one sender, one SSRC). So each producer gets one ordinary transceiver — it negotiates ICE,
 * DTLS and SRTP — and the SFU is told the producer has one encoding per clip, identified by SSRC
 * (mediasoup matches incoming streams by SSRC before MID or RID). The packets of every layer then
 * go straight into the transceiver's DTLS transport with their own SSRC. No encoder runs.
 */
import type { types } from 'mediasoup-client';
import {
  MediaStreamTrack, PictureLossIndication, RtcpPayloadSpecificFeedback, type RTCDtlsTransport, type RTCRtpSender,
} from 'werift';
import type { MediaSource } from '@tongtang/shared';
import type { Clip } from './containers.ts';
import { StreamSender } from './streamSender.ts';

const TICK_MS = 5;
const SENDER_REPORT_MS = 1000;

export interface PublishSpec {
  source: MediaSource;
  /** One clip: a plain stream. Several: simulcast layers, lowest first. */
  clips: Clip[];
  /** Per layer, what the SFU may assume the encoding peaks at (bps). */
  maxBitrates?: number[];
}

/** What the transport's 'produce' listener reads from appData to rewrite the encodings. */
export interface SsrcSimulcastAppData {
  source: MediaSource;
  ssrcs: number[];
  maxBitrates?: number[];
}

/** Replaces the encodings mediasoup-client derived from werift's SDP with one per SSRC we send. */
export function encodingsFor(appData: SsrcSimulcastAppData): types.RtpEncodingParameters[] {
  const layered = appData.ssrcs.length > 1;
  return appData.ssrcs.map((ssrc, i) => ({
    ssrc,
    ...(appData.maxBitrates?.[i] ? { maxBitrate: appData.maxBitrates[i] } : {}),
    ...(layered ? { scalabilityMode: 'L1T1' } : {}),
  }));
}

export class RtpPublisher {
  readonly producers = new Map<MediaSource, { producer: types.Producer; senders: StreamSender[] }>();
  readonly #bySsrc = new Map<number, StreamSender>();
  readonly #watched = new Set<RTCDtlsTransport>();
  #timer: NodeJS.Timeout | undefined;
  #srTimer: NodeJS.Timeout | undefined;

  constructor(private readonly transport: types.Transport) {}

  async publish(spec: PublishSpec): Promise<types.Producer> {
    const kind = spec.source === 'microphone' ? 'audio' : 'video';
    const ssrcs = spec.clips.map(() => randomSsrc());
    const appData: SsrcSimulcastAppData = { source: spec.source, ssrcs, ...(spec.maxBitrates ? { maxBitrates: spec.maxBitrates } : {}) };
    const producer = await this.transport.produce({
      track: new MediaStreamTrack({ kind }) as unknown as globalThis.MediaStreamTrack,
      appData: appData as unknown as types.AppData,
      stopTracks: false,
      zeroRtpOnPause: false,
      disableTrackOnPause: false,
    });
    const codec = producer.rtpParameters.codecs[0];
    const dtls = (producer.rtpSender as unknown as RTCRtpSender | undefined)?.dtlsTransport;
    if (!codec || !dtls) throw new Error(`no codec or DTLS transport for ${spec.source}`);
    const senders = spec.clips.map((clip, i) => new StreamSender({
      clip, kind, ssrc: ssrcs[i]!, payloadType: codec.payloadType, clockRate: codec.clockRate, transport: dtls,
    }));
    for (const s of senders) {
      s.start();
      this.#bySsrc.set(s.ssrc, s);
    }
    this.producers.set(spec.source, { producer, senders });
    this.#watchRtcp(dtls);
    this.#startClock();
    return producer;
  }

  /** Stops sending a source (the server closed its producer, or the speaker stepped down). */
  unpublish(source: MediaSource): void {
    const entry = this.producers.get(source);
    if (!entry) return;
    this.producers.delete(source);
    for (const s of entry.senders) {
      s.stop();
      this.#bySsrc.delete(s.ssrc);
    }
    if (!entry.producer.closed) entry.producer.close();
  }

  get senders(): StreamSender[] {
    return [...this.#bySsrc.values()];
  }

  close(): void {
    for (const source of [...this.producers.keys()]) this.unpublish(source);
    clearInterval(this.#timer);
    clearInterval(this.#srTimer);
  }

  #startClock(): void {
    // One timer for all streams: each sends whatever frames fell due since the last tick.
    this.#timer ??= setInterval(() => {
      for (const s of this.#bySsrc.values()) s.tick();
    }, TICK_MS);
    this.#srTimer ??= setInterval(() => {
      for (const { producer, senders } of this.producers.values()) {
        const transport = (producer.rtpSender as unknown as RTCRtpSender | undefined)?.dtlsTransport;
        if (transport?.state !== 'connected') continue;
        transport.sendRtcp(senders.map((s) => s.senderReport())).catch(() => {});
      }
    }, SENDER_REPORT_MS);
  }

  /** The SFU asks for key frames (PLI/FIR) per SSRC, e.g. whenever a receiver resumes a consumer. */
  #watchRtcp(dtls: RTCDtlsTransport): void {
    if (this.#watched.has(dtls)) return;
    this.#watched.add(dtls);
    dtls.onRtcp.subscribe((packet) => {
      if (!(packet instanceof RtcpPayloadSpecificFeedback)) return;
      const fb = packet.feedback;
      if (fb instanceof PictureLossIndication) this.#bySsrc.get(fb.mediaSsrc)?.requestKeyFrame();
      // werift does not export FullIntraRequest; it is the feedback with a `fir` entry list.
      else if ('fir' in fb) for (const e of fb.fir) this.#bySsrc.get(e.ssrc)?.requestKeyFrame();
    });
  }
}

function randomSsrc(): number {
  return (Math.floor(Math.random() * 0xfffffff0) + 1) >>> 0;
}
