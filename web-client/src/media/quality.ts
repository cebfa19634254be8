/**
 * Link quality from WebRTC statistics: loss over the last interval and the ICE round trip.
 * Thresholds follow common conferencing practice: under 2 % loss and 150 ms feels live,
 * beyond 8 % or 400 ms speech breaks up.
 */
export type Quality = 'good' | 'fair' | 'poor' | 'unknown';

export interface LinkSample {
  packetsReceived: number;
  packetsLost: number;
}

/** Fraction of packets lost between two samples; null when nothing was expected. */
export function lossBetween(previous: LinkSample, current: LinkSample): number | null {
  const received = current.packetsReceived - previous.packetsReceived;
  const lost = Math.max(0, current.packetsLost - previous.packetsLost);
  if (received < 0) return null; // counters reset: a new consumer under the same id
  const expected = received + lost;
  return expected === 0 ? null : lost / expected;
}

export function rateLink(loss: number | null, rttMs: number | null): Quality {
  if (loss === null && rttMs === null) return 'unknown';
  const l = loss ?? 0;
  const r = rttMs ?? 0;
  if (l >= 0.08 || r >= 400) return 'poor';
  if (l >= 0.02 || r >= 150) return 'fair';
  return 'good';
}

const RANK: Record<Quality, number> = { unknown: 0, good: 1, fair: 2, poor: 3 };

/** The worse of several readings; unknown only when all are unknown. */
export function worst(qualities: Quality[]): Quality {
  return qualities.reduce<Quality>((a, b) => (RANK[b] > RANK[a] ? b : a), 'unknown');
}
