import { describe, expect, it } from 'vitest';
import { inspectVp8, packetizeVp8 } from './vp8.ts';

/** A VP8 key frame's first bytes: frame tag (key), start code, 14-bit width and height. */
function keyFrame(width: number, height: number, size = 3000): Buffer {
  const f = Buffer.alloc(size, 0xaa);
  f[0] = 0x10; // bit 0 = 0: key frame; show_frame set
  f[1] = 0;
  f[2] = 0;
  f.set([0x9d, 0x01, 0x2a], 3);
  f.writeUInt16LE(width, 6);
  f.writeUInt16LE(height, 8);
  return f;
}

describe('packetizeVp8', () => {
  it('splits a frame under the payload limit, marking only the first packet as a frame start', () => {
    const frame = keyFrame(1280, 720, 2500);
    const packets = packetizeVp8(frame, 0x1234, 1000);
    expect(packets).toHaveLength(3);
    expect(packets.map((p) => p.length)).toEqual([1004, 1004, 504]);
    expect(packets.map((p) => p[0])).toEqual([0x90, 0x80, 0x80]);
    // 15-bit PictureID with the M bit.
    for (const p of packets) expect([p[1], p[2], p[3]]).toEqual([0x80, 0x80 | 0x12, 0x34]);
    expect(Buffer.concat(packets.map((p) => p.subarray(4))).equals(frame)).toBe(true);
  });

  it('wraps the PictureID at 15 bits and still sends an empty frame', () => {
    const [p] = packetizeVp8(Buffer.alloc(0), 0x8001);
    expect([p![2], p![3]]).toEqual([0x80, 0x01]);
    expect(p!.length).toBe(4);
  });
});

describe('inspectVp8', () => {
  it('reads the layer size back from our own key frame packets', () => {
    const [first, second] = packetizeVp8(keyFrame(640, 360), 7);
    expect(inspectVp8(first!)).toEqual({ key: true, width: 640, height: 360 });
    expect(inspectVp8(second!)).toBeUndefined(); // not a frame start
  });

  it('tells delta frames from key frames', () => {
    const delta = Buffer.alloc(100, 0);
    delta[0] = 0x11; // bit 0 = 1: inter frame
    expect(inspectVp8(packetizeVp8(delta, 1)[0]!)).toEqual({ key: false });
  });

  it('handles descriptors with a 7-bit PictureID, TL0PICIDX and TID (as browsers send)', () => {
    const frame = keyFrame(320, 180, 50);
    // X=1,S=1 | I=1,L=1,T=1 | 7-bit PictureID | TL0PICIDX | TID/Y/KEYIDX
    const payload = Buffer.concat([Buffer.from([0x90, 0xe0, 0x05, 0x09, 0x40]), frame]);
    expect(inspectVp8(payload)).toEqual({ key: true, width: 320, height: 180 });
    const noExt = Buffer.concat([Buffer.from([0x10]), frame]);
    expect(inspectVp8(noExt)).toEqual({ key: true, width: 320, height: 180 });
  });

  it('is safe on short or foreign payloads', () => {
    expect(inspectVp8(new Uint8Array())).toBeUndefined();
    expect(inspectVp8(Buffer.from([0x90, 0x80]))).toEqual({ key: false });
    const noStartCode = keyFrame(320, 180, 40);
    noStartCode[3] = 0;
    expect(inspectVp8(packetizeVp8(noStartCode, 1)[0]!)).toEqual({ key: true });
  });
});
