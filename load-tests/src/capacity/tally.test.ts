import { describe, expect, it } from 'vitest';
import { Tally } from './tally.ts';

function rtp(ssrc: number, seq: number, payloadType = 96): Buffer {
  const b = Buffer.alloc(40, 0xaa); // the payload would be SRTP ciphertext: never looked at
  b[0] = 0x80;
  b[1] = payloadType;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(ssrc, 8);
  return b;
}

describe('Tally', () => {
  it('counts packets and sequence gaps per SSRC across the 16-bit wrap', () => {
    const t = new Tally();
    for (const seq of [65533, 65534, 65535, 0, 2, 3]) t.push(rtp(7, seq)); // 1 lost, after the wrap
    for (const seq of [10, 11, 12]) t.push(rtp(8, seq, 0x80 | 111)); // marker bit set: still RTP
    expect(t.snapshot().streams).toEqual([
      [7, 6, 7],
      [8, 3, 3],
    ]);
  });

  it('keeps RTCP and junk out of the streams', () => {
    const t = new Tally();
    const sr = rtp(9, 0);
    sr[1] = 200; // sender report
    t.push(sr);
    t.push(Buffer.from([0x16, 0xfe, 0xfd])); // too short, not version 2
    t.push(Buffer.alloc(20)); // version 0
    expect(t.snapshot()).toEqual({ streams: [], rtcp: 1, other: 2 });
  });

  it('does not count a duplicate as received', () => {
    const t = new Tally();
    for (const seq of [1, 2, 2, 3]) t.push(rtp(5, seq));
    expect(t.snapshot().streams).toEqual([[5, 3, 3]]);
  });
});
