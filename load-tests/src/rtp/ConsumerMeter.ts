/**
 * Counts what one consumer receives, packet by packet, without decoding: packets, bytes, loss,
 * jitter, one-way delay (the publisher stamps send time into the RTP timestamp) and, for VP8,
 * which simulcast layer is arriving — read from the size in each key frame, since the SFU
 * rewrites SSRCs and only switches layers at key frames.
 */
import { inspectVp8 } from './vp8.ts';
import { delaySinceMs, JitterEstimator, layerOfHeight, SequenceTracker } from './rtpStats.ts';
import type { MediaKind, MediaSource } from '@tongtang/shared';

/** Where a consumer's bytes go in the per-layer accounting. */
export type LayerKey = 'audio' | 'screen' | 'video-0' | 'video-1' | 'video-2' | 'video-?';

export interface ConsumerInfo {
  consumerId: string;
  producerId: string;
  participantId: string;
  source: MediaSource;
  kind: MediaKind;
  clockRate: number;
  /** Whether the publisher stamps send time into RTP timestamps (the load test's own publishers do). */
  stamped: boolean;
}

export interface ConsumerSummary extends Omit<ConsumerInfo, 'clockRate' | 'stamped'> {
  createdAt: number;
  firstRtpAt: number | null;
  closedAt: number | null;
  packets: number;
  bytes: number;
  expected: number;
  lost: number;
  late: number;
  duplicates: number;
  jitterMs: number;
  keyFrames: number;
  /** Layer of the last key frame; -1 if none (audio, or nothing yet). */
  layer: number;
  layerBytes: Partial<Record<LayerKey, number>>;
}

export class ConsumerMeter {
  packets = 0;
  bytes = 0;
  keyFrames = 0;
  firstRtpAt: number | null = null;
  closedAt: number | null = null;
  layer = -1;
  readonly seq = new SequenceTracker();
  readonly jitter: JitterEstimator;
  readonly layerBytes: Partial<Record<LayerKey, number>> = {};
  /** One-way delay samples since the owner last drained them (ms). */
  delays: number[] = [];

  constructor(readonly info: ConsumerInfo, readonly createdAt: number) {
    this.jitter = new JitterEstimator(info.clockRate);
  }

  /** Called for every RTP packet; `nowMs` is the epoch time it reached this process's event loop. */
  onRtp(seq: number, timestamp: number, payload: Uint8Array, nowMs: number): void {
    if (this.firstRtpAt === null) this.firstRtpAt = nowMs;
    this.packets++;
    this.bytes += payload.length;
    const verdict = this.seq.push(seq);
    if (verdict === 'duplicate') return;
    if (verdict !== 'late' && verdict !== 'tooOld') this.jitter.push(timestamp, nowMs);
    if (this.info.stamped && (this.info.kind === 'audio' || this.packets % 10 === 0)) {
      // Every audio packet, every tenth video one: enough samples, little work.
      this.delays.push(delaySinceMs(timestamp, this.info.clockRate, nowMs));
    }
    const key = this.#layerKey(payload);
    this.layerBytes[key] = (this.layerBytes[key] ?? 0) + payload.length;
  }

  summary(): ConsumerSummary {
    const { consumerId, producerId, participantId, source, kind } = this.info;
    return {
      consumerId, producerId, participantId, source, kind,
      createdAt: this.createdAt,
      firstRtpAt: this.firstRtpAt,
      closedAt: this.closedAt,
      packets: this.packets,
      bytes: this.bytes,
      expected: this.seq.expected,
      lost: this.seq.lost,
      late: this.seq.late,
      duplicates: this.seq.duplicates,
      jitterMs: this.jitter.jitterMs,
      keyFrames: this.keyFrames,
      layer: this.layer,
      layerBytes: { ...this.layerBytes },
    };
  }

  #layerKey(payload: Uint8Array): LayerKey {
    if (this.info.kind === 'audio') return 'audio';
    if (this.info.source === 'screen') return 'screen';
    const start = inspectVp8(payload);
    if (start?.key) {
      this.keyFrames++;
      if (start.height !== undefined) this.layer = layerOfHeight(start.height);
    }
    return this.layer >= 0 && this.layer <= 2 ? (`video-${this.layer}` as LayerKey) : 'video-?';
  }
}
