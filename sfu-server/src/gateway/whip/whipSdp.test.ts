/**
 * The WHIP offer/answer translation, without a worker. The fixtures are written by hand in the
 * shape the clients send: a Chromium offer with every codec it has and three RID layers, and an
 * OBS one (libdatachannel: audio first, session-level ICE and fingerprint, candidates gathered,
 * H.264 only). mediasoup's own router-capability generator gives the router's codecs and ids.
 */
import fs from 'node:fs';
import path from 'node:path';
import { generateRouterRtpCapabilities } from 'mediasoup/node/lib/ortc.js';
import { parse } from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { AppError } from '@tongtang/shared';
import { MEDIA_CODECS } from '../../codecs.ts';
import { writeAnswer, type ServerTransport } from './answer.ts';
import { h264Profile } from './codecMatch.ts';
import { readOffer } from './offer.ts';

const caps = generateRouterRtpCapabilities(MEDIA_CODECS);
const fixture = (name: string): string => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
const chromium = fixture('chromium-vp8-simulcast.sdp');
const obs = fixture('obs-h264.sdp');

const server: ServerTransport = {
  iceParameters: { usernameFragment: 'srvufrag', password: 'srvpassword', iceLite: true },
  iceCandidates: [
    { foundation: 'udpcandidate', priority: 1076302079, ip: '198.51.100.7', protocol: 'udp', port: 40000, type: 'host', tcpType: undefined },
    { foundation: 'tcpcandidate', priority: 1076276479, ip: '198.51.100.7', protocol: 'tcp', port: 40000, type: 'host', tcpType: 'passive' },
  ],
  dtlsParameters: {
    role: 'auto',
    fingerprints: [
      { algorithm: 'sha-1', value: 'AA:BB' },
      { algorithm: 'sha-256', value: 'DE:AD:BE:EF' },
    ],
  },
};

function badRequest(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('BAD_REQUEST');
    return (err as AppError).message;
  }
  throw new Error('expected BAD_REQUEST');
}

/** Replaces lines matching `pattern` (whole lines, CRLF kept). */
function edit(sdp: string, pattern: RegExp, replacement = ''): string {
  return sdp.split('\r\n').map((l) => (pattern.test(l) ? replacement : l)).filter((l, i, all) => l !== '' || i === all.length - 1).join('\r\n');
}

describe('WHIP offer → mediasoup parameters', () => {
  it('takes VP8 with its RTX from a Chromium offer, RID simulcast lowest first, and Opus', () => {
    const offer = readOffer(chromium, caps);
    const video = offer.video.rtpParameters;
    expect(video.mid).toBe('0');
    expect(video.codecs).toEqual([
      {
        mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters: {},
        rtcpFeedback: [{ type: 'goog-remb', parameter: '' }, { type: 'transport-cc', parameter: '' }, { type: 'ccm', parameter: 'fir' }, { type: 'nack', parameter: '' }, { type: 'nack', parameter: 'pli' }],
      },
      { mimeType: 'video/rtx', payloadType: 97, clockRate: 90000, parameters: { apt: 96 }, rtcpFeedback: [] },
    ]);
    expect(video.encodings).toEqual([{ rid: 'q' }, { rid: 'h' }, { rid: 'f' }]);
    expect(offer.video.rids).toEqual(['q', 'h', 'f']);
    // Only what mediasoup understands, with the client's ids (playout-delay, video-timing... dropped).
    expect(video.headerExtensions!.map((h) => [h.id, h.uri])).toEqual([
      [1, 'urn:ietf:params:rtp-hdrext:toffset'],
      [2, 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time'],
      [3, 'urn:3gpp:video-orientation'],
      [4, 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01'],
      [9, 'urn:ietf:params:rtp-hdrext:sdes:mid'],
      [10, 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id'],
      [11, 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id'],
    ]);
    const audio = offer.audio!.rtpParameters;
    expect(audio.codecs).toEqual([{
      mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2,
      parameters: { minptime: 10, useinbandfec: 1 }, rtcpFeedback: [{ type: 'transport-cc', parameter: '' }],
    }]);
    expect(audio.encodings).toEqual([{ ssrc: 2831147820 }]);
    expect(audio.rtcp).toEqual({ cname: 'q7C1vT0x9dYm2Lk4', reducedSize: true });
    expect(offer.dtlsParameters).toEqual({ role: 'client', fingerprints: [{ algorithm: 'sha-256', value: expect.stringMatching(/^9C:2F/) }] });
  });

  it('takes H.264 constrained baseline (packetization-mode 1) from an OBS offer, audio first', () => {
    const offer = readOffer(obs, caps);
    expect(offer.sections.map((s) => s.accepted && s.kind)).toEqual(['audio', 'video']);
    expect(offer.video.mid).toBe('1');
    expect(offer.video.rtpParameters.codecs).toEqual([{
      mimeType: 'video/H264', payloadType: 96, clockRate: 90000,
      parameters: { 'profile-level-id': '42e01f', 'packetization-mode': 1, 'level-asymmetry-allowed': 1 },
      rtcpFeedback: [{ type: 'nack', parameter: '' }, { type: 'nack', parameter: 'pli' }, { type: 'goog-remb', parameter: '' }],
    }]);
    expect(offer.video.rtpParameters.encodings).toEqual([{ ssrc: 2733390184 }]);
    expect(offer.video.rtpParameters.headerExtensions).toEqual([]);
    expect(offer.audio!.rtpParameters.codecs[0]).toMatchObject({ mimeType: 'audio/opus', channels: 2, parameters: { stereo: 1, 'sprop-stereo': 1 } });
    // Session-level fingerprint and setup apply to every m-line.
    expect(offer.dtlsParameters.fingerprints[0]!.value).toMatch(/^1A:B2/);
  });

  it('prefers VP8 over H.264 when a client offers both, and the right H.264 when only H.264', () => {
    expect(readOffer(chromium, caps).video.rtpParameters.codecs[0]!.mimeType).toBe('video/VP8');
    const h264Only = edit(chromium, /^a=(rtpmap|rtcp-fb|fmtp):(96|97|98|99|100|101|45|46) /);
    const codecs = readOffer(h264Only, caps).video.rtpParameters.codecs;
    // 102 is baseline and 104 packetization-mode 0: 106 (constrained baseline, mode 1) is the match.
    expect(codecs.map((c) => c.payloadType)).toEqual([106, 107]);
    expect(h264Profile('640032')).toBe('high');
    expect(h264Profile('42001f')).toBe('baseline');
    expect(h264Profile(undefined)).toBe('constrained-baseline');
  });

  it('reads SSRC streams with their RTX pairs (FID) and legacy SIM layers', () => {
    const withSsrcs = edit(chromium, /^a=(rid|simulcast):/)
      .replace('a=rtcp-rsize\r\n', 'a=rtcp-rsize\r\na=ssrc-group:FID 1001 1002\r\na=ssrc:1001 cname:abc\r\na=ssrc:1002 cname:abc\r\n');
    expect(readOffer(withSsrcs, caps).video.rtpParameters.encodings).toEqual([{ ssrc: 1001, rtx: { ssrc: 1002 } }]);
    const sim = edit(chromium, /^a=(rid|simulcast):/).replace('a=rtcp-rsize\r\n',
      'a=rtcp-rsize\r\na=ssrc-group:SIM 11 21 31\r\na=ssrc-group:FID 11 12\r\na=ssrc-group:FID 21 22\r\na=ssrc-group:FID 31 32\r\n'
      + ['11', '12', '21', '22', '31', '32'].map((s) => `a=ssrc:${s} cname:abc\r\n`).join(''));
    expect(readOffer(sim, caps).video.rtpParameters.encodings).toEqual([
      { ssrc: 11, rtx: { ssrc: 12 } }, { ssrc: 21, rtx: { ssrc: 22 } }, { ssrc: 31, rtx: { ssrc: 32 } },
    ]);
    // Neither SSRC nor RID: routed by MID.
    expect(readOffer(edit(chromium, /^a=(rid|simulcast):/), caps).video.rtpParameters.encodings).toEqual([{}]);
  });

  it('declines what a classroom slot does not take (a second video, a data channel) and keeps the m-line order', () => {
    const extra = `${chromium}m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\na=sctp-port:5000\r\n`;
    const offer = readOffer(extra, caps);
    expect(offer.sections.map((s) => s.accepted)).toEqual([true, true, false]);
  });
});

describe('WHIP offer refusals', () => {
  it('refuses what is not SDP, or has no media', () => {
    expect(badRequest(() => readOffer('hello', caps))).toMatch(/not an SDP/);
    expect(badRequest(() => readOffer(undefined, caps))).toMatch(/not an SDP/);
    expect(badRequest(() => readOffer('v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n', caps))).toMatch(/no media/);
    expect(badRequest(() => readOffer(`v=0\r\n${'a=x\r\n'.repeat(20_000)}`, caps))).toMatch(/larger than/);
  });

  it('refuses an offer without video, naming what it needs', () => {
    const audioOnly = obs.slice(0, obs.indexOf('m=video')).replace('a=group:BUNDLE 0 1', 'a=group:BUNDLE 0');
    expect(badRequest(() => readOffer(audioOnly, caps))).toMatch(/sends no video/);
    const recvonly = chromium.replace(/a=sendonly\r\na=msid:5d2a4c0e-7f7a-4c55-9d6e-7f6c1f1d2b11 0b1c/, 'a=recvonly\r\na=msid:5d2a4c0e-7f7a-4c55-9d6e-7f6c1f1d2b11 0b1c');
    expect(badRequest(() => readOffer(recvonly, caps))).toMatch(/sends no video/);
  });

  it('refuses an unsupported codec only, saying what was offered and what is taken', () => {
    const hevc = obs.replace('a=rtpmap:96 H264/90000', 'a=rtpmap:96 H265/90000').replace(/a=fmtp:96 .*\r\n/, '');
    expect(badRequest(() => readOffer(hevc, caps))).toBe('the video offers H265, none of which this server receives without transcoding (it takes VP8 or H264)');
    const mode0 = obs.replace('packetization-mode=1', 'packetization-mode=0');
    expect(badRequest(() => readOffer(mode0, caps))).toMatch(/H264 \(constrained-baseline, packetization-mode=0\)/);
    const pcmu = obs.replace('a=rtpmap:111 opus/48000/2', 'a=rtpmap:111 PCMU/8000');
    expect(badRequest(() => readOffer(pcmu, caps))).toMatch(/the audio offers PCMU.*it takes opus/);
  });

  it('refuses offers WebRTC transports cannot take: no fingerprint, no rtcp-mux, unbundled media', () => {
    expect(badRequest(() => readOffer(obs.replace(/a=fingerprint:.*\r\n/, ''), caps))).toMatch(/no a=fingerprint/);
    expect(badRequest(() => readOffer(obs.replaceAll('a=rtcp-mux\r\n', ''), caps))).toMatch(/rtcp-mux/);
    expect(badRequest(() => readOffer(obs.replace('a=group:BUNDLE 0 1', 'a=group:BUNDLE 1'), caps))).toMatch(/BUNDLE/);
    const ridsWithoutExtension = edit(chromium, /rtp-stream-id$/);
    expect(badRequest(() => readOffer(ridsWithoutExtension, caps))).toMatch(/rtp-stream-id/);
  });
});

describe('WHIP answer', () => {
  function media(sdp: string, i: number): ReturnType<typeof parse>['media'][number] {
    return parse(sdp).media[i]!;
  }

  it('is ICE-lite, bundled, passive, recvonly with the chosen codec, and lists every server candidate', () => {
    const answer = writeAnswer(readOffer(chromium, caps), server);
    const session = parse(answer);
    expect(session.icelite).toBe('ice-lite');
    expect(session.groups).toEqual([{ type: 'BUNDLE', mids: '0 1' }]);
    const video = media(answer, 0);
    expect(video).toMatchObject({
      type: 'video', port: 40000, protocol: 'UDP/TLS/RTP/SAVPF', payloads: '96 97', mid: 0, direction: 'recvonly',
      iceUfrag: 'srvufrag', icePwd: 'srvpassword', setup: 'passive', fingerprint: { type: 'sha-256', hash: 'DE:AD:BE:EF' },
      rtcpMux: 'rtcp-mux', rtcpRsize: 'rtcp-rsize', endOfCandidates: 'end-of-candidates',
      connection: { version: 4, ip: '198.51.100.7' },
    });
    expect(video.rtp).toEqual([{ payload: 96, codec: 'VP8', rate: 90000 }, { payload: 97, codec: 'rtx', rate: 90000 }]);
    expect(video.fmtp).toEqual([{ payload: 97, config: 'apt=96' }]);
    expect(video.rids).toEqual([{ id: 'q', direction: 'recv' }, { id: 'h', direction: 'recv' }, { id: 'f', direction: 'recv' }]);
    expect(video.simulcast).toEqual({ dir1: 'recv', list1: 'q;h;f' });
    expect(video.candidates).toEqual([
      { foundation: 'udpcandidate', component: 1, transport: 'udp', priority: 1076302079, ip: '198.51.100.7', port: 40000, type: 'host' },
      { foundation: 'tcpcandidate', component: 1, transport: 'tcp', priority: 1076276479, ip: '198.51.100.7', port: 40000, type: 'host', tcptype: 'passive' },
    ]);
    const audio = media(answer, 1);
    expect(audio.rtp).toEqual([{ payload: 111, codec: 'opus', rate: 48000, encoding: 2 }]);
    expect(audio.fmtp).toEqual([{ payload: 111, config: 'minptime=10;useinbandfec=1' }]);
    expect(audio.ext!.map((e) => e.uri)).toContain('urn:ietf:params:rtp-hdrext:ssrc-audio-level');
  });

  it('answers OBS in its own m-line order with H.264 and its fmtp, and declines the rest with port 0', () => {
    const answer = writeAnswer(readOffer(obs, caps), server);
    expect(parse(answer).media.map((m) => m.type)).toEqual(['audio', 'video']);
    expect(media(answer, 1).fmtp).toEqual([{ payload: 96, config: 'profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1' }]);
    const extra = `${chromium}m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\na=sctp-port:5000\r\n`;
    const declined = media(writeAnswer(readOffer(extra, caps), server), 2);
    expect(declined).toMatchObject({ type: 'application', port: 0, mid: 2, direction: 'inactive' });
    expect(parse(writeAnswer(readOffer(extra, caps), server)).groups).toEqual([{ type: 'BUNDLE', mids: '0 1' }]);
  });

  it('takes the DTLS server role when the client insists on being it', () => {
    const passive = obs.replace('a=setup:actpass', 'a=setup:passive');
    const offer = readOffer(passive, caps);
    expect(offer.dtlsParameters.role).toBe('server');
    expect(media(writeAnswer(offer, server), 0).setup).toBe('active');
  });
});
