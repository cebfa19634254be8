/**
 * What the receivers say they can receive: the router's own capabilities without the two
 * bandwidth-estimation mechanisms. With transport-cc or REMB the worker runs congestion control
 * on a PlainTransport too, and with no feedback ever coming back it holds the estimate at its
 * 600 kbit/s start and moves every consumer down to the 360p layer — the bench would then
 * measure a lecture nobody watches in 720p.
 */
import type { types as ms } from 'mediasoup';

const BWE_EXTENSIONS = new Set([
  'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
]);
const BWE_FEEDBACK = new Set(['transport-cc', 'goog-remb']);

export function withoutCongestionControl(caps: ms.RtpCapabilities): ms.RtpCapabilities {
  return {
    codecs: caps.codecs?.map((c) => ({ ...c, rtcpFeedback: c.rtcpFeedback?.filter((fb) => !BWE_FEEDBACK.has(fb.type)) })),
    headerExtensions: caps.headerExtensions?.filter((h) => !BWE_EXTENSIONS.has(h.uri)),
  };
}
