import { describe, expect, it } from 'vitest';
import { opusPacketMs, readIvf, readOggOpus } from './containers.ts';

/** An IVF file: 32-byte header, then (size, pts, data) per frame; timebase 1/30 s. */
function ivf(frames: { pts: number; data: number[] }[], w = 320, h = 180): Buffer {
  const header = Buffer.alloc(32);
  header.write('DKIF', 0, 'latin1');
  header.writeUInt16LE(0, 4);
  header.writeUInt16LE(32, 6);
  header.write('VP80', 8, 'latin1');
  header.writeUInt16LE(w, 12);
  header.writeUInt16LE(h, 14);
  header.writeUInt32LE(30, 16); // rate
  header.writeUInt32LE(1, 20); // scale
  header.writeUInt32LE(frames.length, 24);
  return Buffer.concat([header, ...frames.map((f) => {
    const fh = Buffer.alloc(12);
    fh.writeUInt32LE(f.data.length, 0);
    fh.writeBigUInt64LE(BigInt(f.pts), 4);
    return Buffer.concat([fh, Buffer.from(f.data)]);
  })]);
}

/** One Ogg page holding the given packets (each < 255*n bytes, lacing as the spec says). */
function oggPage(packets: Buffer[]): Buffer {
  const lacing: number[] = [];
  for (const p of packets) {
    let left = p.length;
    while (left >= 255) { lacing.push(255); left -= 255; }
    lacing.push(left);
  }
  const header = Buffer.alloc(27);
  header.write('OggS', 0, 'latin1');
  header[26] = lacing.length;
  return Buffer.concat([header, Buffer.from(lacing), ...packets]);
}

describe('readIvf', () => {
  it('reads frames with their times, key flags and the clip size', () => {
    const clip = readIvf(ivf([{ pts: 0, data: [0x10, 1, 2] }, { pts: 1, data: [0x11, 9] }, { pts: 2, data: [0x11] }]));
    expect(clip.frames.map((f) => [Math.round(f.atMs * 100) / 100, f.key, f.data.length])).toEqual([[0, true, 3], [33.33, false, 2], [66.67, false, 1]]);
    expect(clip.durationMs).toBeCloseTo(100);
    expect([clip.width, clip.height]).toEqual([320, 180]);
  });

  it('rejects other files', () => {
    expect(() => readIvf(Buffer.from('RIFF....'))).toThrow(/IVF/);
    const vp9 = ivf([{ pts: 0, data: [0] }]);
    vp9.write('VP90', 8, 'latin1');
    expect(() => readIvf(vp9)).toThrow(/VP90/);
  });

  it('ignores a truncated last frame', () => {
    const full = ivf([{ pts: 0, data: [0x10, 1] }, { pts: 1, data: [0x11, 2, 3, 4] }]);
    expect(readIvf(full.subarray(0, full.length - 2)).frames).toHaveLength(1);
  });
});

describe('readOggOpus', () => {
  const head = Buffer.concat([Buffer.from('OpusHead', 'latin1'), Buffer.alloc(11)]);
  const tags = Buffer.from('OpusTags\0\0\0\0\0\0\0\0', 'latin1');
  // TOC 0x78: config 15 (hybrid FB 20 ms), one frame.
  const packet = (n: number, len = 60) => Buffer.concat([Buffer.from([0x78]), Buffer.alloc(len - 1, n)]);

  it('skips the headers and times 20 ms packets', () => {
    const clip = readOggOpus(Buffer.concat([oggPage([head]), oggPage([tags]), oggPage([packet(1), packet(2), packet(3)])]));
    expect(clip.frames.map((f) => f.atMs)).toEqual([0, 20, 40]);
    expect(clip.frames[1]!.data[1]).toBe(2);
    expect(clip.durationMs).toBe(60);
  });

  it('reassembles a packet laced over 255-byte segments and across pages', () => {
    const big = packet(7, 600);
    const page1 = oggPage([head]);
    const page2 = oggPage([tags]);
    // Split the big packet: 510 bytes (two 255 segments, continuing) on one page, the rest on the next.
    const cont = Buffer.alloc(27);
    cont.write('OggS', 0, 'latin1');
    cont[26] = 2;
    const first = Buffer.concat([cont, Buffer.from([255, 255]), big.subarray(0, 510)]);
    const rest = oggPage([big.subarray(510)]);
    const clip = readOggOpus(Buffer.concat([page1, page2, first, rest]));
    expect(clip.frames).toHaveLength(1);
    expect(clip.frames[0]!.data.equals(big)).toBe(true);
  });

  it('rejects a non-Opus Ogg file', () => {
    expect(() => readOggOpus(oggPage([Buffer.from('\x01vorbis')]))).toThrow(/Opus/);
  });
});

describe('opusPacketMs', () => {
  it('reads the frame duration and count from the TOC byte', () => {
    expect(opusPacketMs(Buffer.from([0x78]))).toBe(20); // hybrid 20 ms, 1 frame
    expect(opusPacketMs(Buffer.from([0xf8]))).toBe(20); // CELT FB 20 ms
    expect(opusPacketMs(Buffer.from([0xf9]))).toBe(40); // two frames
    expect(opusPacketMs(Buffer.from([0x08]))).toBe(20); // SILK NB 20 ms
    expect(opusPacketMs(Buffer.from([0xfb, 0x03]))).toBe(60); // code 3, three frames
  });
});
