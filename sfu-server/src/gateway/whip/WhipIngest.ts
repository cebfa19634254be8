/**
 * One WHIP publish (RFC 9725) brought into a lecture as a classroom's room camera and room
 * microphone: a WebRtcTransport on the lecture's origin router receives the client's media as is
 * (no transcoding) into producers registered like the peer's own. It lives until closed, until
 * the client hangs up (DTLS close or failure) or never connects, or until the lecture's router
 * goes; then `onClosed` tells the gateway its slot is free. The microphone starts paused: it is
 * heard only while the classroom holds the floor (setMicrophone), as with RTMP and RTSP.
 */
import { randomBytes } from 'node:crypto';
import type { types as ms } from 'mediasoup';
import { AppError, type MediaSource } from '@tongtang/shared';
import { lectureMediaOf, type MediasoupNode } from '../../MediasoupNode.ts';
import { attempt, toAppError } from '../../mediaErrors.ts';
import type { IngestHealth, IngestState } from '../Ingest.ts';
import { writeAnswer } from './answer.ts';
import type { AcceptedSection, WhipOffer } from './offer.ts';

export interface WhipIngestOptions {
  lectureId: string;
  peerId: string;
  /** Already read (readOffer): a bad offer is refused before anything is created. */
  offer: WhipOffer;
  /** Cap on what the client may send (bps): the SFU's bandwidth estimate tells it to stay below. */
  maxIncomingBitrate: number;
  /** No video for this long: stalled. */
  stallMs?: number;
  /** A client that has not completed ICE by then is gone (it posted an offer and never came). */
  connectTimeoutMs?: number;
  onHealth?: (health: IngestHealth) => void;
  onClosed?: (ingest: WhipIngest) => void;
}

export class WhipIngest {
  /** Unguessable: the WHIP resource URL is the capability to end the publish (RFC 9725 §4.3). */
  readonly resourceId = randomBytes(16).toString('base64url');
  readonly answerSdp: string;
  readonly transport: ms.WebRtcTransport;
  readonly video: ms.Producer;
  readonly audio: ms.Producer | undefined;
  readonly #opts: WhipIngestOptions;
  readonly #stallMs: number;
  #state: IngestState = 'waiting';
  #lastError: string | undefined;
  #bitrateKbps = 0;
  #transportBytes = 0;
  #videoBytes = 0;
  #videoAt = 0;
  #keyFrameSeconds: number | null = null;
  /** Per video SSRC: the RTP timestamp and arrival of its last key frame (one frame spans several packets). */
  readonly #keyFrames = new Map<number, { rtpTimestamp: number; at: number }>();
  readonly #ticker: NodeJS.Timeout;
  readonly #connectTimer: NodeJS.Timeout;

  private constructor(opts: WhipIngestOptions, transport: ms.WebRtcTransport, video: ms.Producer, audio: ms.Producer | undefined, answerSdp: string) {
    this.#opts = opts;
    this.#stallMs = opts.stallMs ?? 3000;
    this.transport = transport;
    this.video = video;
    this.audio = audio;
    this.answerSdp = answerSdp;
    this.#ticker = setInterval(() => void this.#tick(), 1000);
    this.#connectTimer = setTimeout(() => this.#fail('the WHIP client never connected (no ICE check reached the server)'), opts.connectTimeoutMs ?? 30_000);
    transport.on('icestatechange', (state) => {
      if (state === 'connected' || state === 'completed') clearTimeout(this.#connectTimer);
      if (state === 'disconnected') this.#lastError = 'the WHIP client stopped answering (ICE disconnected)';
    });
    transport.on('dtlsstatechange', (state) => {
      // 'closed' is the client's close_notify: it stopped publishing (a WHIP client that comes back posts a new offer).
      if (state === 'failed') this.#fail('the DTLS handshake with the WHIP client failed');
      if (state === 'closed') this.#fail('the WHIP client hung up');
    });
    transport.observer.once('close', () => this.close()); // the router or its worker went
    video.on('trace', (trace) => this.#onKeyFrame(trace));
    void video.enableTraceEvent(['keyframe']).catch(() => undefined);
  }

  static async start(node: MediasoupNode, opts: WhipIngestOptions): Promise<WhipIngest> {
    const { lectureId, peerId, offer } = opts;
    const media = lectureMediaOf(node, lectureId);
    if (!media || media.closed) throw new AppError('NOT_FOUND', `lecture ${lectureId} has no media on this node`);
    const slot = await media.origin();
    const transport = await attempt('create the WHIP transport', () => slot.router.createWebRtcTransport({
      webRtcServer: slot.pooled.webRtcServer,
      enableUdp: true,
      enableTcp: true, // for campus networks that block UDP; ICE still prefers UDP
      preferUdp: true,
      appData: { peerId, whip: true },
    }));
    try {
      await attempt('limit the WHIP bitrate', () => transport.setMaxIncomingBitrate(opts.maxIncomingBitrate));
      const video = await produce(transport, offer.video, peerId, 'camera');
      const audio = offer.audio ? await produce(transport, offer.audio, peerId, 'microphone') : undefined;
      await attempt('connect the WHIP transport', () => transport.connect({ dtlsParameters: offer.dtlsParameters }));
      for (const [producer, source] of [[video, 'camera'], [audio, 'microphone']] as const) {
        if (producer) media.adoptProducer({ peerId, source, producer, transportId: transport.id, slot });
      }
      const answer = writeAnswer(offer, { iceParameters: transport.iceParameters, iceCandidates: transport.iceCandidates, dtlsParameters: transport.dtlsParameters });
      return new WhipIngest(opts, transport, video, audio, answer);
    } catch (err) {
      transport.close();
      throw err;
    }
  }

  /** The room microphone follows the floor: on while the classroom holds it. No-op without audio. */
  async setMicrophone(on: boolean): Promise<void> {
    if (!this.audio) return;
    if (on) await this.audio.resume();
    else await this.audio.pause();
  }

  health(): IngestHealth {
    return {
      source: 'whip',
      state: this.#state,
      fps: 0,
      bitrateKbps: this.#bitrateKbps,
      keyFrameSeconds: this.#keyFrameSeconds,
      reconnects: 0,
      lastError: this.#lastError,
      videoProducerId: this.video.id,
      audioProducerId: this.audio?.id,
    };
  }

  /** Closes the transport and with it both producers (they leave the ledger). Safe twice. */
  close(): void {
    if (this.#state === 'closed') return;
    clearInterval(this.#ticker);
    clearTimeout(this.#connectTimer);
    this.transport.close();
    this.#setState('closed');
    this.#opts.onClosed?.(this);
  }

  #fail(reason: string): void {
    if (this.#state === 'closed') return;
    this.#lastError = reason;
    this.close();
  }

  #onKeyFrame(trace: ms.ProducerTraceEventData): void {
    if (trace.type !== 'keyframe') return;
    const info = trace.info as { ssrc?: number; timestamp?: number };
    if (info.ssrc === undefined || info.timestamp === undefined) return;
    const last = this.#keyFrames.get(info.ssrc);
    if (last?.rtpTimestamp === info.timestamp) return; // another packet of the same frame
    const now = Date.now();
    if (last) this.#keyFrameSeconds = Math.round((now - last.at) / 100) / 10;
    this.#keyFrames.set(info.ssrc, { rtpTimestamp: info.timestamp, at: now });
  }

  async #tick(): Promise<void> {
    if (this.#state === 'closed') return;
    try {
      const [stats] = await this.transport.getStats();
      const bytes = stats?.bytesReceived ?? 0;
      this.#bitrateKbps = this.#transportBytes === 0 ? 0 : Math.round(((bytes - this.#transportBytes) * 8) / 1000);
      this.#transportBytes = bytes;
      const videoBytes = (await this.video.getStats()).reduce((sum, s) => sum + (s.byteCount ?? 0), 0);
      if (videoBytes > this.#videoBytes) this.#videoAt = Date.now();
      this.#videoBytes = videoBytes;
    } catch {
      return; // closed under us: close() follows from the transport's close
    }
    if (this.transport.closed) return;
    // Live while the picture arrives and is usable (mediasoup scores each stream 0..10 from
    // loss and jitter; no score yet is no verdict); stalled once it stopped or is beyond use.
    const flowing = this.#videoAt > 0 && Date.now() - this.#videoAt <= this.#stallMs;
    const usable = this.video.score.length === 0 || this.video.score.some((s) => s.score > 0);
    const state: IngestState = flowing && usable ? 'live' : this.#videoAt > 0 ? 'stalled' : 'waiting';
    if (state === 'live') this.#lastError = undefined;
    this.#setState(state);
    this.#opts.onHealth?.(this.health());
  }

  #setState(state: IngestState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#opts.onHealth?.(this.health());
  }
}

/** mediasoup's refusal of the parameters is the offer's fault: BAD_REQUEST, with its reason. */
async function produce(transport: ms.WebRtcTransport, section: AcceptedSection, peerId: string, source: MediaSource): Promise<ms.Producer> {
  try {
    return await transport.produce({
      kind: section.kind,
      rtpParameters: section.rtpParameters,
      paused: source === 'microphone',
      appData: { peerId, source },
    });
  } catch (err) {
    const refused = err instanceof Error && (err.name === 'UnsupportedError' || err instanceof TypeError);
    throw refused ? new AppError('BAD_REQUEST', `the WHIP offer's ${section.kind} cannot be received: ${err.message}`, { cause: err }) : toAppError(err, `receive the WHIP ${section.kind}`);
  }
}
