/**
 * The SDP answer to a WHIP offer, from the mediasoup WebRtcTransport that receives it: ICE-lite
 * (mediasoup only answers connectivity checks), the transport's ICE credentials and every one
 * of its candidates followed by end-of-candidates (so a client that does not trickle, as RFC 9725
 * lets it, has all it needs), the DTLS fingerprint with the opposite role to the client's, and
 * per m-line recvonly with just the codec (and RTX) the producer was created with.
 */
import { randomInt } from 'node:crypto';
import type { types as ms } from 'mediasoup';
import type { AcceptedSection, WhipOffer } from './offer.ts';

export interface ServerTransport {
  iceParameters: ms.IceParameters;
  iceCandidates: ms.IceCandidate[];
  /** Our certificate's fingerprints (the role comes from the offer). */
  dtlsParameters: ms.DtlsParameters;
}

export function writeAnswer(offer: WhipOffer, server: ServerTransport): string {
  const taken = offer.sections.filter((s): s is AcceptedSection => s.accepted).map((s) => s.mid);
  const lines = [
    'v=0',
    `o=- ${randomInt(1, 2 ** 47)} 1 IN IP4 0.0.0.0`,
    's=-',
    't=0 0',
    'a=ice-lite',
    `a=group:BUNDLE ${taken.join(' ')}`,
  ];
  for (const section of offer.sections) {
    if (section.accepted) lines.push(...mediaLines(section, offer, server));
    else {
      // Declined (RFC 3264 §6): port 0, the offer's first format, the same mid.
      lines.push(`m=${section.type} 0 ${section.protocol} ${section.firstPayload}`, 'c=IN IP4 0.0.0.0');
      if (section.mid !== undefined) lines.push(`a=mid:${section.mid}`);
      lines.push('a=inactive');
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

function mediaLines(section: AcceptedSection, offer: WhipOffer, server: ServerTransport): string[] {
  const { rtpParameters } = section;
  const { iceParameters, iceCandidates, dtlsParameters } = server;
  // The default candidate goes in m= and c= (RFC 8839 §4.2.1.2); the candidates below are what counts.
  const preferred = iceCandidates.find((c) => c.protocol === 'udp') ?? iceCandidates[0];
  const ipVersion = preferred?.ip.includes(':') ? 6 : 4;
  const fingerprint = dtlsParameters.fingerprints.find((f) => f.algorithm === 'sha-256') ?? dtlsParameters.fingerprints.at(-1)!;
  const lines = [
    `m=${section.kind} ${preferred?.port ?? 9} UDP/TLS/RTP/SAVPF ${rtpParameters.codecs.map((c) => c.payloadType).join(' ')}`,
    `c=IN IP${ipVersion} ${preferred?.ip ?? '0.0.0.0'}`,
    `a=mid:${section.mid}`,
    'a=recvonly',
    `a=ice-ufrag:${iceParameters.usernameFragment}`,
    `a=ice-pwd:${iceParameters.password}`,
    `a=fingerprint:${fingerprint.algorithm} ${fingerprint.value}`,
    // The client offered actpass (or active): it connects, we wait. One that offered passive waits for us.
    `a=setup:${offer.dtlsParameters.role === 'server' ? 'active' : 'passive'}`,
    'a=rtcp-mux',
  ];
  if (section.rtcpReducedSize) lines.push('a=rtcp-rsize');
  if (section.extmapAllowMixed) lines.push('a=extmap-allow-mixed');
  for (const ext of rtpParameters.headerExtensions ?? []) lines.push(`a=extmap:${ext.id} ${ext.uri}`);
  for (const codec of rtpParameters.codecs) {
    const [, name] = codec.mimeType.split('/');
    const channels = codec.channels !== undefined && codec.channels > 1 ? `/${codec.channels}` : '';
    lines.push(`a=rtpmap:${codec.payloadType} ${name}/${codec.clockRate}${channels}`);
    for (const fb of codec.rtcpFeedback ?? []) lines.push(`a=rtcp-fb:${codec.payloadType} ${fb.type}${fb.parameter ? ` ${fb.parameter}` : ''}`);
    const fmtp = Object.entries(codec.parameters ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(';');
    if (fmtp) lines.push(`a=fmtp:${codec.payloadType} ${fmtp}`);
  }
  if (section.rids.length > 0) {
    for (const rid of section.rids) lines.push(`a=rid:${rid} recv`);
    lines.push(`a=simulcast:recv ${section.rids.join(';')}`);
  }
  for (const c of iceCandidates) {
    lines.push(`a=candidate:${c.foundation} 1 ${c.protocol} ${c.priority} ${c.ip} ${c.port} typ ${c.type}${c.tcpType ? ` tcptype ${c.tcpType}` : ''}`);
  }
  lines.push('a=end-of-candidates');
  return lines;
}
