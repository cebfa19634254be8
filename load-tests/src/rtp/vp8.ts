/**
 * Just enough VP8 RTP (RFC 7741) to send pre-encoded frames and to tell, on the receiving side,
 * which simulcast layer a consumer is getting — without decoding anything.
 */

/** Payload bytes per packet; with the 4-byte descriptor, RTP header and SRTP tag this stays under a 1280-byte MTU budget. */
export const MAX_VP8_PAYLOAD = 1150;

/**
 * Splits one frame into RTP payloads, each starting with a payload descriptor carrying a 15-bit
 * PictureID (the SFU rewrites it to keep the stream continuous across simulcast switches).
 */
export function packetizeVp8(frame: Buffer, pictureId: number, maxPayload = MAX_VP8_PAYLOAD): Buffer[] {
  const out: Buffer[] = [];
  const pid = pictureId & 0x7fff;
  const count = Math.max(1, Math.ceil(frame.length / maxPayload));
  for (let i = 0; i < count; i++) {
    const descriptor = Buffer.from([
      i === 0 ? 0x90 : 0x80, // X=1, S=1 on the frame's first packet, partition 0
      0x80, // I=1: PictureID present
      0x80 | (pid >> 8), // M=1: 15-bit PictureID
      pid & 0xff,
    ]);
    out.push(Buffer.concat([descriptor, frame.subarray(i * maxPayload, (i + 1) * maxPayload)]));
  }
  return out;
}

export interface Vp8Start {
  /** First packet of a key frame: the SFU only switches layers there. */
  key: boolean;
  /** Frame size, present on key frames only. */
  width?: number;
  height?: number;
}

/**
 * Looks at a received VP8 payload: undefined when it does not start a frame, else whether the
 * frame is a key frame and, if so, its size (read from the uncompressed key-frame header).
 */
export function inspectVp8(payload: Uint8Array): Vp8Start | undefined {
  if (payload.length < 1) return undefined;
  const b0 = payload[0]!;
  const start = (b0 & 0x10) !== 0 && (b0 & 0x07) === 0;
  if (!start) return undefined;
  let off = 1;
  if (b0 & 0x80) {
    const x = payload[off++] ?? 0;
    if (x & 0x80) off += (payload[off] ?? 0) & 0x80 ? 2 : 1; // PictureID, 7 or 15 bits
    if (x & 0x40) off += 1; // TL0PICIDX
    if (x & 0x30) off += 1; // TID / KEYIDX
  }
  if (off + 10 > payload.length) return { key: false };
  const key = (payload[off]! & 1) === 0;
  if (!key) return { key: false };
  // Key frame: 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height.
  if (payload[off + 3] !== 0x9d || payload[off + 4] !== 0x01 || payload[off + 5] !== 0x2a) return { key: true };
  const width = (payload[off + 6]! | (payload[off + 7]! << 8)) & 0x3fff;
  const height = (payload[off + 8]! | (payload[off + 9]! << 8)) & 0x3fff;
  return { key: true, width, height };
}
