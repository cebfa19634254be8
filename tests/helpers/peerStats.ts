/**
 * What a Chromium page's own peer connections report, read from outside the app. The page must
 * record its connections in window.__pcs: the clock scripts do (load-tests/src/latency/), and
 * RECORD_PEER_CONNECTIONS does alone.
 */
import type { Page } from 'playwright-core';

export { RECORD_PEER_CONNECTIONS } from '@tongtang/load-tests';

/** One RTP stream's stats as Chromium reports them (numbers and strings by name). */
export type RtpStats = Record<string, number | string | undefined>;

/**
 * The widest video stream of `type` on the page's open connections: for 'outbound-rtp' the top
 * simulcast layer it sends, for 'inbound-rtp' the biggest video it receives. Null when there is none.
 */
export const widestVideo = (page: Page, type: 'inbound-rtp' | 'outbound-rtp') => page.evaluate(async (want) => {
  let best: Record<string, number | string | undefined> | null = null;
  for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
    if (pc.connectionState === 'closed') continue;
    (await pc.getStats()).forEach((s: Record<string, number | string | undefined>) => {
      if (s.type !== want || s.kind !== 'video') return;
      if (best === null || Number(s.frameWidth ?? 0) > Number(best.frameWidth ?? 0)) best = { ...s };
    });
  }
  return best as Record<string, number | string | undefined> | null;
}, type);

/** A counter of a stream's stats, 0 when absent. */
export const count = (s: RtpStats | null, name: string): number => Number(s?.[name] ?? 0);

/** Whether the page's receive SDP maps the playout-delay extension (immediate playout). */
export const mapsPlayoutDelay = (page: Page) => page.evaluate(() => (window as unknown as { __pcs?: RTCPeerConnection[] }).__pcs
  ?.some((pc) => pc.connectionState !== 'closed' && (pc.remoteDescription?.sdp ?? '').includes('rtp-hdrext/playout-delay')) ?? false);
