/**
 * A WHIP client's SDP offer (RFC 9725) read into what mediasoup needs: the client's DTLS
 * parameters for WebRtcTransport.connect, and per audio/video m-line the rtpParameters for
 * WebRtcTransport.produce (mid, the one codec the router takes with its RTX, the header
 * extensions the router understands, SSRCs or RIDs). Pure: no mediasoup object is touched, so a
 * bad offer is refused before a classroom's running source is replaced. Anything the gateway
 * cannot use throws AppError('BAD_REQUEST') saying what and why, in words an IT person acts on.
 */
import type { types as ms } from 'mediasoup';
import { parse, parseParams, type SdpMedia, type SdpSession } from 'sdp-transform';
import { AppError } from '@tongtang/shared';
import { chooseCodec, commonFeedback, describeCodec, type OfferedCodec } from './codecMatch.ts';
import { encodingsOf, type Layering } from './encodings.ts';

/** One m-line the gateway receives. */
export interface AcceptedSection {
  accepted: true;
  kind: ms.MediaKind;
  mid: string;
  rtpParameters: ms.RtpParameters;
  /** RID simulcast: the RIDs as the offer listed them, echoed in the answer. */
  rids: string[];
  rtcpReducedSize: boolean;
  extmapAllowMixed: boolean;
}

/** An m-line answered with port 0: not media we take (a second camera, a data channel, recvonly...). */
export interface RejectedSection {
  accepted: false;
  type: string;
  protocol: string;
  mid: string | undefined;
  firstPayload: string;
}

export type OfferSection = AcceptedSection | RejectedSection;

export interface WhipOffer {
  /** The client's certificate and role, for WebRtcTransport.connect. */
  dtlsParameters: ms.DtlsParameters;
  /** Every m-line in offer order (the answer must have as many, in the same order). */
  sections: OfferSection[];
  video: AcceptedSection;
  audio: AcceptedSection | undefined;
}

/** Larger than any real offer (Chromium's with every codec and three RIDs is ~6 KB); bounds the parse. */
const MAX_OFFER_BYTES = 64 * 1024;
const FINGERPRINT_ALGORITHMS = new Set(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']);

const bad = (message: string): AppError => new AppError('BAD_REQUEST', message);

export function readOffer(sdp: unknown, capabilities: ms.RtpCapabilities): WhipOffer {
  if (typeof sdp !== 'string' || !/^v=0\r?\n/.test(sdp)) throw bad('the WHIP offer is not an SDP (it must start with "v=0")');
  if (sdp.length > MAX_OFFER_BYTES) throw bad(`the WHIP offer is larger than ${MAX_OFFER_BYTES / 1024} KiB`);
  let session: SdpSession;
  try {
    session = parse(sdp);
  } catch (err) {
    throw new AppError('BAD_REQUEST', 'the WHIP offer is not a valid SDP', { cause: err });
  }
  if (session.media.length === 0) throw bad('the WHIP offer has no media (no m= line)');

  const sections: OfferSection[] = [];
  let video: AcceptedSection | undefined;
  let audio: AcceptedSection | undefined;
  for (const media of session.media) {
    // One room camera and one room microphone per classroom: a second of a kind is declined.
    const taken = media.type === 'video' ? video : media.type === 'audio' ? audio : undefined;
    const section = taken || !wanted(media) ? rejected(media) : accept(media, capabilities);
    sections.push(section);
    if (section.accepted && section.kind === 'video') video = section;
    if (section.accepted && section.kind === 'audio') audio = section;
  }
  if (!video) throw bad('the WHIP offer sends no video: a classroom source needs a sendonly (or sendrecv) UDP/TLS/RTP/SAVPF video m= line');
  checkBundle(session, sections);
  return { dtlsParameters: dtlsOf(session, session.media[sections.indexOf(video)]!), sections, video, audio };
}

/** Audio or video RTP the client sends (sendonly, or sendrecv from clients that never say otherwise). */
function wanted(media: SdpMedia): boolean {
  const direction = media.direction ?? 'sendrecv';
  return (media.type === 'audio' || media.type === 'video')
    && Number(media.port) !== 0
    && /RTP\/SAVPF?$/.test(media.protocol)
    && (direction === 'sendonly' || direction === 'sendrecv');
}

function rejected(media: SdpMedia): RejectedSection {
  return {
    accepted: false,
    type: media.type,
    protocol: media.protocol,
    mid: media.mid === undefined ? undefined : String(media.mid),
    firstPayload: String(media.payloads ?? '').split(' ')[0] || '0',
  };
}

function accept(media: SdpMedia, capabilities: ms.RtpCapabilities): AcceptedSection {
  const kind = media.type as ms.MediaKind;
  if (media.mid === undefined) throw bad(`the ${kind} m= line has no a=mid`);
  if (!media.rtcpMux) throw bad(`the ${kind} m= line lacks a=rtcp-mux, which WebRTC requires`);
  const mid = String(media.mid);
  const offered = codecsOf(media);
  const routerCodecs = (capabilities.codecs ?? []).filter((c) => c.kind === kind);
  const chosen = chooseCodec(offered.filter((c) => !isRtx(c)), routerCodecs);
  if (!chosen) {
    const names = [...new Set(offered.filter((c) => !isRtx(c) && !/\/(red|ulpfec|flexfec-03|cn|telephone-event)$/i.test(c.mimeType)).map(describeCodec))];
    const takes = routerCodecs.filter((c) => !/\/rtx$/i.test(c.mimeType)).map((c) => c.mimeType.split('/')[1]).join(' or ');
    throw bad(`the ${kind} offers ${names.join(', ') || 'no codec'}, none of which this server receives without transcoding (it takes ${takes})`);
  }
  const codec: ms.RtpCodecParameters = {
    mimeType: chosen.capability.mimeType,
    payloadType: chosen.codec.payloadType,
    clockRate: chosen.codec.clockRate,
    ...(kind === 'audio' ? { channels: chosen.codec.channels ?? 1 } : {}),
    parameters: chosen.codec.parameters,
    rtcpFeedback: commonFeedback(chosen.codec.rtcpFeedback, chosen.capability),
  };
  const rtxCapable = routerCodecs.some((c) => /\/rtx$/i.test(c.mimeType));
  const rtx = rtxCapable ? offered.find((c) => isRtx(c) && Number(c.parameters['apt']) === codec.payloadType) : undefined;
  const codecs: ms.RtpCodecParameters[] = [codec];
  if (rtx) codecs.push({ mimeType: `${kind}/rtx`, payloadType: rtx.payloadType, clockRate: rtx.clockRate, parameters: { apt: codec.payloadType }, rtcpFeedback: [] });

  const headerExtensions = (media.ext ?? [])
    .filter((ext) => (capabilities.headerExtensions ?? []).some((h) => h.kind === kind && h.uri === ext.uri && (h.direction === 'sendrecv' || h.direction === 'recvonly')))
    .map((ext): ms.RtpHeaderExtensionParameters => ({ uri: ext.uri, id: ext.value, encrypt: false }));
  const layering: Layering = encodingsOf(media, kind, headerExtensions.map((h) => h.uri), rtx !== undefined);
  const cname = media.ssrcs?.find((s) => s.attribute === 'cname')?.value;
  return {
    accepted: true,
    kind,
    mid,
    rtpParameters: {
      mid,
      codecs,
      headerExtensions,
      encodings: layering.encodings,
      rtcp: { ...(cname === undefined ? {} : { cname: String(cname) }), reducedSize: media.rtcpRsize !== undefined },
    },
    rids: layering.rids,
    rtcpReducedSize: media.rtcpRsize !== undefined,
    extmapAllowMixed: media.extmapAllowMixed !== undefined,
  };
}

function isRtx(codec: OfferedCodec): boolean {
  return /\/rtx$/i.test(codec.mimeType);
}

function codecsOf(media: SdpMedia): OfferedCodec[] {
  return media.rtp.map((rtp) => {
    const fmtp = media.fmtp.find((f) => f.payload === rtp.payload);
    const parameters: Record<string, string | number> = {};
    for (const [key, value] of Object.entries(fmtp ? parseParams(String(fmtp.config)) : {})) {
      // sdp-transform turns an all-digit profile-level-id (e.g. 640032) into a number: it is hex.
      if (value !== undefined) parameters[key] = key === 'profile-level-id' ? String(value).toLowerCase() : value;
    }
    const rtcpFeedback = (media.rtcpFb ?? [])
      .filter((fb) => fb.payload === rtp.payload || fb.payload === '*')
      .map((fb): ms.RtcpFeedback => ({ type: fb.type, parameter: fb.subtype ?? '' }));
    const channels = media.type === 'audio' ? Number(rtp.encoding ?? 1) : undefined;
    return {
      payloadType: rtp.payload,
      mimeType: `${media.type}/${rtp.codec}`,
      clockRate: Number(rtp.rate),
      ...(channels === undefined ? {} : { channels }),
      parameters,
      rtcpFeedback,
    };
  });
}

/** One transport carries everything (mediasoup's WebRtcTransport): the taken m-lines must be bundled. */
function checkBundle(session: SdpSession, sections: OfferSection[]): void {
  const taken = sections.filter((s): s is AcceptedSection => s.accepted);
  if (taken.length < 2) return;
  const bundle = (session.groups ?? []).find((g) => g.type === 'BUNDLE');
  const mids = new Set(String(bundle?.mids ?? '').split(' '));
  if (!taken.every((s) => mids.has(s.mid))) throw bad('the WHIP offer must BUNDLE its audio and video (RFC 9725 requires it)');
}

/** The client's fingerprint and DTLS role: it offers actpass (or active) and we answer passive. */
function dtlsOf(session: SdpSession, media: SdpMedia): ms.DtlsParameters {
  const fingerprint = media.fingerprint ?? session.fingerprint;
  if (!fingerprint) throw bad('the WHIP offer has no a=fingerprint (DTLS-SRTP is required)');
  const algorithm = fingerprint.type.toLowerCase();
  if (!FINGERPRINT_ALGORITHMS.has(algorithm)) throw bad(`the WHIP offer's fingerprint uses ${fingerprint.type}, not one of ${[...FINGERPRINT_ALGORITHMS].join(', ')}`);
  const setup = media.setup ?? session.setup ?? 'actpass';
  if (!['actpass', 'active', 'passive'].includes(setup)) throw bad(`the WHIP offer's a=setup:${setup} is not actpass, active or passive`);
  // mediasoup wants the remote side's role: a client that offers passive must be the DTLS server.
  return { role: setup === 'passive' ? 'server' : 'client', fingerprints: [{ algorithm, value: fingerprint.hash }] };
}
