/**
 * Readers for the two containers the clips come in: IVF (VP8 frames) and Ogg (Opus packets).
 * Both load a whole short clip into memory once; the publisher then loops it for free.
 */

export interface Frame {
  /** Start of the frame from the start of the clip, in milliseconds. */
  atMs: number;
  data: Buffer;
  /** Key frame (VP8) — where a receiver can start decoding. Always true for audio. */
  key: boolean;
}

export interface Clip {
  frames: Frame[];
  /** Length of one loop, so the next loop starts one frame interval after the last frame. */
  durationMs: number;
  width?: number;
  height?: number;
}

/** Parses an IVF file (32-byte header, then 12-byte frame headers) holding VP8. */
export function readIvf(buf: Buffer): Clip {
  if (buf.length < 32 || buf.toString('latin1', 0, 4) !== 'DKIF') throw new Error('not an IVF file');
  const fourcc = buf.toString('latin1', 8, 12);
  if (fourcc !== 'VP80') throw new Error(`IVF holds ${fourcc}, expected VP80`);
  const headerLen = buf.readUInt16LE(6);
  const width = buf.readUInt16LE(12);
  const height = buf.readUInt16LE(14);
  const rate = buf.readUInt32LE(16); // timebase = scale / rate seconds
  const scale = buf.readUInt32LE(20);
  const frames: Frame[] = [];
  let off = headerLen;
  while (off + 12 <= buf.length) {
    const size = buf.readUInt32LE(off);
    const pts = Number(buf.readBigUInt64LE(off + 4));
    const data = buf.subarray(off + 12, off + 12 + size);
    if (data.length < size) break; // truncated tail
    // VP8 frame tag: bit 0 of the first byte is 0 for a key frame (RFC 6386 §9.1).
    frames.push({ atMs: (pts * scale * 1000) / rate, data, key: size > 0 && (data[0]! & 1) === 0 });
    off += 12 + size;
  }
  if (frames.length === 0) throw new Error('IVF file has no frames');
  return { frames, durationMs: loopDuration(frames), width, height };
}

/** Parses an Ogg Opus file into its audio packets, skipping OpusHead and OpusTags. */
export function readOggOpus(buf: Buffer): Clip {
  const packets: Buffer[] = [];
  let pending: Buffer[] = [];
  let off = 0;
  while (off + 27 <= buf.length) {
    if (buf.toString('latin1', off, off + 4) !== 'OggS') throw new Error(`bad Ogg page at byte ${off}`);
    const segments = buf[off + 26]!;
    const table = buf.subarray(off + 27, off + 27 + segments);
    let data = off + 27 + segments;
    for (const len of table) {
      pending.push(buf.subarray(data, data + len));
      data += len;
      // A segment shorter than 255 ends the packet; 255 means it continues (even onto the next page).
      if (len < 255) {
        packets.push(Buffer.concat(pending));
        pending = [];
      }
    }
    off = data;
  }
  if (packets[0]?.toString('latin1', 0, 8) !== 'OpusHead') throw new Error('not an Ogg Opus file');
  const frames: Frame[] = [];
  let atMs = 0;
  for (const data of packets.slice(2)) {
    frames.push({ atMs, data, key: true });
    atMs += opusPacketMs(data);
  }
  return { frames, durationMs: atMs };
}

/** Duration of one Opus packet from its TOC byte (RFC 6716 §3.1). */
export function opusPacketMs(packet: Buffer): number {
  const toc = packet[0] ?? 0;
  const config = toc >> 3;
  let frameMs: number;
  if (config < 12) frameMs = [10, 20, 40, 60][config % 4]!; // SILK
  else if (config < 16) frameMs = [10, 20][config % 2]!; // hybrid
  else frameMs = [2.5, 5, 10, 20][config % 4]!; // CELT
  const code = toc & 3;
  const count = code === 0 ? 1 : code === 3 ? (packet[1] ?? 0) & 0x3f : 2;
  return frameMs * count;
}

function loopDuration(frames: Frame[]): number {
  const last = frames[frames.length - 1]!.atMs;
  const step = frames.length > 1 ? last / (frames.length - 1) : 33;
  return last + step;
}
