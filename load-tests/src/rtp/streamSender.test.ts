import { describe, expect, it } from 'vitest';
import type { RtpHeader, RTCDtlsTransport } from 'werift';
import type { Clip } from './containers.ts';
import { delaySinceMs } from './rtpStats.ts';
import { StreamSender } from './streamSender.ts';

interface Sent {
  header: RtpHeader;
  payload: Buffer;
}

function fakeTransport(): { transport: RTCDtlsTransport; sent: Sent[] } {
  const sent: Sent[] = [];
  const transport = {
    state: 'connected',
    sendRtp: (payload: Buffer, header: RtpHeader) => {
      sent.push({ payload, header });
      return Promise.resolve(payload.length);
    },
  } as unknown as RTCDtlsTransport;
  return { transport, sent };
}

/** Five frames 40 ms apart, key frames at 0 and 3; frame i is i+1 bytes of value i. */
const clip: Clip = {
  frames: [0, 1, 2, 3, 4].map((i) => ({ atMs: i * 40, data: Buffer.alloc(i + 1, i), key: i === 0 || i === 3 })),
  durationMs: 200,
};

function sender(kind: 'audio' | 'video' = 'video', c = clip) {
  const { transport, sent } = fakeTransport();
  const s = new StreamSender({ clip: c, kind, ssrc: 1234, payloadType: 96, clockRate: 90_000, transport });
  return { s, sent, frameOf: (x: Sent) => (kind === 'video' ? x.payload[4] : x.payload[0]) };
}

const T0 = 1_763_800_000_000;

describe('StreamSender', () => {
  it('paces frames by their clip times and loops', () => {
    const { s, sent, frameOf } = sender();
    s.start(T0);
    s.tick(T0);
    expect(sent.map(frameOf)).toEqual([0]);
    s.tick(T0 + 85);
    expect(sent.map(frameOf)).toEqual([0, 1, 2]);
    s.tick(T0 + 200); // frames 3 and 4, then frame 0 of the second loop
    expect(sent.map(frameOf)).toEqual([0, 1, 2, 3, 4, 0]);
  });

  it('stamps send time, numbers packets consecutively and marks a frame\'s last packet', () => {
    const big: Clip = { frames: [{ atMs: 0, data: Buffer.alloc(3000, 1), key: true }], durationMs: 40 };
    const { s, sent } = sender('video', big);
    s.start(T0);
    s.tick(T0);
    s.tick(T0 + 40);
    expect(sent).toHaveLength(6); // 3000 bytes → 3 packets per frame
    const seqs = sent.map((x) => x.header.sequenceNumber);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe((seqs[i - 1]! + 1) & 0xffff);
    expect(sent.map((x) => x.header.marker)).toEqual([false, false, true, false, false, true]);
    expect(delaySinceMs(sent[0]!.header.timestamp, 90_000, T0)).toBeCloseTo(0, 1);
    expect(delaySinceMs(sent[3]!.header.timestamp, 90_000, T0 + 40)).toBeCloseTo(0, 1);
    expect(new Set(sent.map((x) => x.header.ssrc))).toEqual(new Set([1234]));
    expect(s.packets).toBe(6);
  });

  it('answers a key-frame request by restarting the current group of pictures at once', () => {
    const { s, sent, frameOf } = sender();
    s.start(T0);
    s.tick(T0 + 45); // frames 0 (key) and 1; frame 2 is due at T0 + 80
    s.requestKeyFrame(T0 + 250);
    s.tick(T0 + 250);
    expect(sent.map(frameOf)).toEqual([0, 1, 0]); // back to key frame 0, sent now rather than the stale backlog
    s.tick(T0 + 290);
    expect(sent.map(frameOf)).toEqual([0, 1, 0, 1]);
  });

  it('rewinds to the last key frame when asked mid-group, but not twice within 200 ms', () => {
    const { s, sent, frameOf } = sender();
    s.start(T0);
    s.tick(T0 + 170);
    s.tick(T0 + 400); // the second loop, then the third loop's key frame 0, all sent at T0 + 400
    const before = sent.length;
    s.requestKeyFrame(T0 + 450); // key frame 0 went out at T0 + 400: too soon, ignored
    expect(s.keyFrameRequests).toBe(1);
    s.tick(T0 + 450);
    expect(sent.map(frameOf).slice(before)).toEqual([1]);
    s.tick(T0 + 525); // frame 2 at 480, frame 3 (key) at 520
    s.requestKeyFrame(T0 + 760); // 240 ms after key frame 3: honoured, restart at frame 3
    s.tick(T0 + 760);
    expect(sent.map(frameOf).at(-1)).toBe(3);
  });

  it('skips ahead after a stall instead of bursting the backlog', () => {
    const { s, sent } = sender();
    s.start(T0);
    s.tick(T0);
    s.tick(T0 + 10_000);
    expect(sent.length).toBeLessThanOrEqual(3);
  });

  it('sends nothing before DTLS is up or after stop', () => {
    const { transport, sent } = fakeTransport();
    (transport as { state: string }).state = 'connecting';
    const s = new StreamSender({ clip, kind: 'audio', ssrc: 1, payloadType: 111, clockRate: 48_000, transport });
    s.start(T0);
    s.tick(T0 + 100);
    expect(sent).toHaveLength(0);
    (transport as { state: string }).state = 'connected';
    s.stop();
    s.tick(T0 + 100);
    expect(sent).toHaveLength(0);
  });

  it('writes a sender report on the shared wall clock', () => {
    const { s } = sender();
    s.start(T0);
    s.tick(T0 + 50);
    const sr = s.senderReport(T0 + 50);
    expect(sr.ssrc).toBe(1234);
    expect(sr.senderInfo.packetCount).toBe(2);
    const ntpSeconds = Number(sr.senderInfo.ntpTimestamp >> 32n);
    expect(ntpSeconds).toBe(Math.floor((T0 + 50) / 1000) + 2_208_988_800);
    expect(delaySinceMs(sr.senderInfo.rtpTimestamp, 90_000, T0 + 50)).toBeCloseTo(0, 1);
  });
});
