/**
 * What the receiver process does with each datagram: read the RTP header, which SRTP leaves in
 * clear (RFC 3711 §3.1), and count packets and sequence gaps per SSRC. Nothing is decrypted:
 * this side must stay far cheaper than the worker it measures.
 */
import { SequenceTracker } from '../rtp/rtpStats.ts';

/** One stream's cumulative counts: distinct packets received, and the span of sequence numbers seen. */
export type StreamCount = [ssrc: number, received: number, expected: number];

export interface TallySnapshot {
  streams: StreamCount[];
  /** SRTCP from the worker (sender reports), multiplexed on the same sockets. */
  rtcp: number;
  /** Datagrams that are neither RTP nor RTCP; should stay 0. */
  other: number;
}

/** RTCP packet types 192..223 share the RTP header's second byte with marker + payload type (RFC 5761 §4). */
function isRtcp(b1: number): boolean {
  return b1 >= 192 && b1 <= 223;
}

export class Tally {
  readonly #streams = new Map<number, SequenceTracker>();
  #rtcp = 0;
  #other = 0;

  push(packet: Buffer): void {
    if (packet.length < 12 || packet[0]! >> 6 !== 2) {
      this.#other++;
      return;
    }
    if (isRtcp(packet[1]!)) {
      this.#rtcp++;
      return;
    }
    const ssrc = packet.readUInt32BE(8);
    let tracker = this.#streams.get(ssrc);
    if (!tracker) this.#streams.set(ssrc, (tracker = new SequenceTracker()));
    tracker.push(packet.readUInt16BE(2));
  }

  snapshot(): TallySnapshot {
    const streams: StreamCount[] = [];
    for (const [ssrc, t] of this.#streams) streams.push([ssrc, t.received, t.expected]);
    return { streams, rtcp: this.#rtcp, other: this.#other };
  }
}
