import { describe, expect, it } from 'vitest';
import type { types as ms } from 'mediasoup';
import { withoutCongestionControl } from './capabilities.ts';

describe('withoutCongestionControl', () => {
  it('drops transport-cc and REMB, keeps everything else', () => {
    const caps: ms.RtpCapabilities = {
      codecs: [{
        kind: 'video', mimeType: 'video/VP8', clockRate: 90_000, preferredPayloadType: 101,
        rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'goog-remb' }, { type: 'transport-cc' }],
      }],
      headerExtensions: [
        { kind: 'video', uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', preferredId: 1 },
        { kind: 'video', uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time', preferredId: 4 },
        { kind: 'video', uri: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01', preferredId: 5 },
      ],
    };
    const out = withoutCongestionControl(caps);
    expect(out.codecs![0]!.rtcpFeedback).toEqual([{ type: 'nack' }, { type: 'nack', parameter: 'pli' }]);
    expect(out.headerExtensions!.map((h) => h.uri)).toEqual(['urn:ietf:params:rtp-hdrext:sdes:mid']);
    expect(caps.codecs![0]!.rtcpFeedback).toHaveLength(4); // the router's own object is untouched
  });
});
