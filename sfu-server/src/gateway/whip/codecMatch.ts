/**
 * Which of an offer's codecs the router can take, judged as mediasoup judges a producer's codec
 * (its ortc matchCodecs in strict mode): same MIME type, clock rate and channels, and for H.264
 * the same packetization mode and profile. mediasoup checks again on produce; doing it here first
 * lets the gateway answer with the one codec it will really use, and refuse an offer before it
 * replaces a classroom's working source.
 */
import type { types as ms } from 'mediasoup';

export interface OfferedCodec {
  payloadType: number;
  mimeType: string;
  clockRate: number;
  channels?: number;
  parameters: Record<string, string | number>;
  rtcpFeedback: ms.RtcpFeedback[];
}

/**
 * H.264 profiles as libwebrtc (and mediasoup's h264-profile-level-id) classify them: profile_idc
 * and a pattern over profile_iop, most significant bit first, 'x' for "either".
 */
const H264_PROFILES: readonly [name: string, idc: number, iop: string][] = [
  ['constrained-baseline', 0x42, 'x1xx0000'],
  ['constrained-baseline', 0x4d, '1xxx0000'],
  ['constrained-baseline', 0x58, '11xx0000'],
  ['baseline', 0x42, 'x0xx0000'],
  ['baseline', 0x58, '10xx0000'],
  ['main', 0x4d, '0xxx0000'],
  ['high', 0x64, '00000000'],
  ['constrained-high', 0x64, '00001100'],
  ['predictive-high-444', 0xf4, '00000000'],
];

/** The profile named by a profile-level-id; absent means constrained baseline (what libwebrtc assumes). */
export function h264Profile(profileLevelId: string | number | undefined): string | undefined {
  const hex = profileLevelId === undefined ? '42e01f' : String(profileLevelId);
  if (!/^[0-9a-f]{6}$/i.test(hex)) return undefined;
  const idc = parseInt(hex.slice(0, 2), 16);
  const iop = parseInt(hex.slice(2, 4), 16).toString(2).padStart(8, '0');
  const fits = (pattern: string): boolean => [...pattern].every((bit, i) => bit === 'x' || bit === iop[i]);
  return H264_PROFILES.find(([, pIdc, pattern]) => pIdc === idc && fits(pattern))?.[0];
}

function packetizationMode(parameters: Record<string, unknown> | undefined): number {
  return Number(parameters?.['packetization-mode'] ?? 0);
}

export function codecFits(offered: OfferedCodec, capability: ms.RtpCodecCapability): boolean {
  const mime = offered.mimeType.toLowerCase();
  if (mime !== capability.mimeType.toLowerCase() || offered.clockRate !== capability.clockRate) return false;
  if (capability.kind === 'audio' && (offered.channels ?? 1) !== (capability.channels ?? 1)) return false;
  if (mime === 'video/h264') {
    const profile = h264Profile(offered.parameters['profile-level-id']);
    return profile !== undefined
      && packetizationMode(offered.parameters) === packetizationMode(capability.parameters)
      && profile === h264Profile(capability.parameters?.['profile-level-id'] as string | undefined);
  }
  return true;
}

/**
 * The codec to receive: the router's preference first (VP8 before H.264, so a browser offering
 * both sends what every viewer can decode), among what the client offered.
 */
export function chooseCodec(offered: OfferedCodec[], capabilities: ms.RtpCodecCapability[]): { codec: OfferedCodec; capability: ms.RtpCodecCapability } | undefined {
  for (const capability of capabilities) {
    if (/\/rtx$/i.test(capability.mimeType)) continue;
    const codec = offered.find((c) => codecFits(c, capability));
    if (codec) return { codec, capability };
  }
  return undefined;
}

/** The feedback both sides speak: NACK, PLI and FIR here are what lets the SFU repair and refresh the picture. */
export function commonFeedback(offered: ms.RtcpFeedback[], capability: ms.RtpCodecCapability): ms.RtcpFeedback[] {
  const key = (fb: ms.RtcpFeedback): string => `${fb.type} ${fb.parameter ?? ''}`;
  const supported = new Set((capability.rtcpFeedback ?? []).map(key));
  const seen = new Set<string>();
  return offered.filter((fb) => supported.has(key(fb)) && !seen.has(key(fb)) && seen.add(key(fb)));
}

/** How an offered codec is named in an error message: "H264 (packetization-mode=0)", "VP9". */
export function describeCodec(codec: OfferedCodec): string {
  const [, name] = codec.mimeType.split('/');
  if (codec.mimeType.toLowerCase() !== 'video/h264') return name ?? codec.mimeType;
  const profile = h264Profile(codec.parameters['profile-level-id']) ?? `profile-level-id=${String(codec.parameters['profile-level-id'])}`;
  return `H264 (${profile}, packetization-mode=${packetizationMode(codec.parameters)})`;
}
