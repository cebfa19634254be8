/**
 * Immediate playout for a receiver. The worker this project builds adds the playout-delay RTP
 * header extension (min 0, max 0) to every video packet it forwards, under a fixed id
 * (scripts/mediasoup-worker-playout-delay.patch). A receiver acts on it only when its consumer
 * parameters map that id to the extension's URI: then Chromium renders each frame as soon as it is
 * decoded instead of smoothing playout with its jitter buffer. Lower latency, at the price of
 * visible judder when frames arrive unevenly, so it is chosen per receiver.
 */
import type { types } from 'mediasoup';

export const PLAYOUT_DELAY_URI = 'http://www.webrtc.org/experiments/rtp-hdrext/playout-delay';
/** The id the patched worker writes the extension under (free in mediasoup 3.12's numbering). */
export const PLAYOUT_DELAY_ID = 14;

export type Playout = 'smooth' | 'immediate';

/**
 * The consumer parameters a receiver gets: with the extension mapped when it asked for immediate
 * playout and the media is video; unchanged otherwise. (The receiver's capabilities cannot tell
 * whether its browser knows the extension: mediasoup-client reports only what the router offers.
 * A browser that does not know it answers without it and ignores the id.)
 */
export function withPlayout(rtpParameters: types.RtpParameters, kind: types.MediaKind, playout: Playout): types.RtpParameters {
  if (playout !== 'immediate' || kind !== 'video') return rtpParameters;
  if (rtpParameters.headerExtensions?.some((h) => h.id === PLAYOUT_DELAY_ID)) return rtpParameters;
  return {
    ...rtpParameters,
    headerExtensions: [
      ...(rtpParameters.headerExtensions ?? []),
      { uri: PLAYOUT_DELAY_URI, id: PLAYOUT_DELAY_ID, encrypt: false, parameters: {} },
    ],
  };
}
