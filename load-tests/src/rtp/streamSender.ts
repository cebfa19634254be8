/**
 * Sends one pre-encoded clip as one RTP stream (one SSRC), looping, paced by the frames' own
 * timing. Packets are handed straight to werift's DTLS transport for SRTP, which lets one
 * mediasoup-client transceiver carry three simulcast SSRCs even though werift's own RTCRtpSender
 * sends only one stream.
 */
import { RtcpSenderInfo, RtcpSrPacket, RtpHeader, type RTCDtlsTransport } from 'werift';
import type { Clip } from './containers.ts';
import { rtpTimestampAt } from './rtpStats.ts';
import { packetizeVp8 } from './vp8.ts';

/** Wall clock in ms with sub-ms resolution, shared by every process on the machine. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

/** A PLI storm (every new receiver asks for one) must not rewind the clip over and over. */
const MIN_KEY_FRAME_INTERVAL_MS = 200;
/** Further behind than this (a stalled event loop) we skip ahead rather than burst. */
const MAX_CATCH_UP_MS = 500;

/** Where packets go: werift's DTLS transport (SRTP) in the load test, a bare UDP socket in the capacity bench. */
export type RtpSink = Pick<RTCDtlsTransport, 'state' | 'sendRtp'>;

export interface StreamSenderOptions {
  clip: Clip;
  kind: 'audio' | 'video';
  ssrc: number;
  payloadType: number;
  clockRate: number;
  transport: RtpSink;
}

export class StreamSender {
  packets = 0;
  bytes = 0;
  keyFrameRequests = 0;
  readonly ssrc: number;
  #index = 0;
  /** Epoch ms at which the current loop's frame 0 is due. */
  #loopStart = 0;
  #seq = Math.floor(Math.random() * 0x10000);
  #pictureId = Math.floor(Math.random() * 0x8000);
  #lastKeyFrameAt = -Infinity;
  #lastTs = 0;
  #stopped = false;

  constructor(private readonly o: StreamSenderOptions) {
    this.ssrc = o.ssrc;
  }

  start(nowMs = epochNow()): void {
    this.#loopStart = nowMs;
    this.#index = 0;
  }

  stop(): void {
    this.#stopped = true;
  }

  /** Sends every frame that is due by `nowMs`. */
  tick(nowMs = epochNow()): void {
    if (this.#stopped || this.o.transport.state !== 'connected') return;
    const { frames, durationMs } = this.o.clip;
    if (nowMs - this.#dueAt() > MAX_CATCH_UP_MS) this.#skipTo(nowMs);
    while (this.#dueAt() <= nowMs) {
      this.#send(frames[this.#index]!.data, nowMs);
      this.#index++;
      if (this.#index >= frames.length) {
        this.#index = 0;
        this.#loopStart += durationMs;
      }
    }
  }

  /** Answers a PLI/FIR: restart the current group of pictures now, as an encoder would send a key frame. */
  requestKeyFrame(nowMs = epochNow()): void {
    this.keyFrameRequests++;
    if (this.o.kind !== 'video' || nowMs - this.#lastKeyFrameAt < MIN_KEY_FRAME_INTERVAL_MS) return;
    const { frames } = this.o.clip;
    let key = Math.min(this.#index, frames.length - 1);
    while (key > 0 && !frames[key]!.key) key--;
    this.#index = key;
    this.#loopStart = nowMs - frames[key]!.atMs;
  }

  /** An RTCP sender report: lets the SFU line up simulcast layers, which it needs to switch between them. */
  senderReport(nowMs = epochNow()): RtcpSrPacket {
    const seconds = nowMs / 1000 + 2_208_988_800; // NTP counts from 1900
    const ntp = (BigInt(Math.floor(seconds)) << 32n) | BigInt(Math.floor((seconds % 1) * 0x1_0000_0000));
    return new RtcpSrPacket({
      ssrc: this.ssrc,
      senderInfo: new RtcpSenderInfo({
        ntpTimestamp: ntp,
        rtpTimestamp: rtpTimestampAt(nowMs, this.o.clockRate),
        packetCount: this.packets >>> 0,
        octetCount: this.bytes >>> 0,
      }),
    });
  }

  #dueAt(): number {
    return this.#loopStart + this.o.clip.frames[this.#index]!.atMs;
  }

  #skipTo(nowMs: number): void {
    const { frames, durationMs } = this.o.clip;
    const into = (nowMs - this.#loopStart) % durationMs;
    this.#loopStart = nowMs - into;
    this.#index = Math.max(0, frames.findIndex((f) => f.atMs >= into));
    if (frames[this.#index]!.atMs < into) this.#index = 0;
  }

  #send(frame: Buffer, nowMs: number): void {
    // The send time is the timestamp (see rtpTimestampAt); never let two frames share one.
    let ts = rtpTimestampAt(nowMs, this.o.clockRate);
    if (ts === this.#lastTs) ts = (ts + 1) >>> 0;
    this.#lastTs = ts;
    const payloads = this.o.kind === 'video' ? packetizeVp8(frame, this.#pictureId++) : [frame];
    this.#pictureId &= 0x7fff;
    if (this.o.kind === 'video' && this.o.clip.frames[this.#index]!.key) this.#lastKeyFrameAt = nowMs;
    payloads.forEach((payload, i) => {
      const header = new RtpHeader({
        payloadType: this.o.payloadType,
        sequenceNumber: this.#seq,
        timestamp: ts,
        ssrc: this.ssrc,
        // Video: the frame's last packet. Audio: the first packet after silence (only the very first here).
        marker: this.o.kind === 'video' ? i === payloads.length - 1 : this.packets === 0,
      });
      this.#seq = (this.#seq + 1) & 0xffff;
      this.packets++;
      this.bytes += payload.length;
      this.o.transport.sendRtp(payload, header).catch(() => {}); // a closing transport; counted elsewhere
    });
  }
}
