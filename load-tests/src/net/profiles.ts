/**
 * Named network conditions between one participant and the server, shared by the tests (applied
 * to a network namespace) and the load test (applied by a relay in front of a receiver). Each
 * direction is its own link: "down" is server → participant, "up" is participant → server. The
 * round-trip time is split evenly over the two directions.
 */

export interface LinkSpec {
  /** One-way delay, ms. */
  delayMs: number;
  /** Each datagram is held delayMs ± up to jitterMs (uniform), order kept. */
  jitterMs: number;
  /** Random loss, percent of datagrams. */
  lossPct: number;
  /** Bandwidth cap in kbit/s; absent = uncapped. */
  rateKbit?: number;
}

export interface NetworkProfile {
  name: string;
  description: string;
  down: LinkSpec;
  up: LinkSpec;
}

export const PROFILE_NAMES = ['campus', 'kashgar', 'mobile-3g', 'lossy-5'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

const link = (rttMs: number, jitterMs: number, lossPct: number, rateKbit?: number): LinkSpec =>
  ({ delayMs: rttMs / 2, jitterMs, lossPct, ...(rateKbit !== undefined ? { rateKbit } : {}) });

export const PROFILES: Record<ProfileName, NetworkProfile> = {
  // A well-run campus network: fast and clean, a few ms of jitter.
  campus: { name: 'campus', description: '50 Mbit/s, 10 ms RTT, no loss', down: link(10, 1, 0, 50_000), up: link(10, 1, 0, 50_000) },
  // The model case: a student 4,000 km from the server on a thin, lossy line (issue 12).
  kashgar: { name: 'kashgar', description: '300 kbit/s down, 150 ms RTT, 3 % loss', down: link(150, 5, 3, 300), up: link(150, 5, 3, 300) },
  // A phone on a 3G cell: modest rate, long and jittery RTT, some loss.
  'mobile-3g': { name: 'mobile-3g', description: '1.5 Mbit/s down / 750 kbit/s up, 300 ms RTT ± 30 ms, 1 % loss', down: link(300, 30, 1, 1500), up: link(300, 30, 1, 750) },
  // A partner classroom or a floor speaker on a bad line: 2 Mbit/s with 5 % loss and 200 ms RTT.
  'lossy-5': { name: 'lossy-5', description: '2 Mbit/s, 200 ms RTT, 5 % loss', down: link(200, 5, 5, 2000), up: link(200, 5, 5, 2000) },
};

export class ProfileError extends Error {}

export function profileNamed(name: string): NetworkProfile {
  const profile = (PROFILES as Record<string, NetworkProfile>)[name.trim().toLowerCase()];
  if (!profile) throw new ProfileError(`unknown network profile "${name}": expected one of ${PROFILE_NAMES.join(', ')}`);
  return profile;
}

export interface NetworkShare {
  profile: NetworkProfile;
  /** Fraction of the receivers (0 < share ≤ 1) the profile applies to. */
  share: number;
}

/**
 * "kashgar" (every receiver), "kashgar:0.25" or "kashgar:25%" (a quarter of them); several
 * comma-separated, whose shares must not add up to more than all receivers.
 */
export function parseNetworkShares(raw: string): NetworkShare[] {
  const parts = raw.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) throw new ProfileError('--network: no profile given');
  const shares = parts.map((part) => {
    const [name, shareText, ...rest] = part.split(':');
    if (rest.length > 0) throw new ProfileError(`--network: expected PROFILE[:share], got "${part}"`);
    const profile = profileNamed(name!);
    if (shareText === undefined) return { profile, share: 1 };
    const m = /^(\d+(?:\.\d+)?)(%)?$/.exec(shareText.trim());
    const share = m ? Number(m[1]) / (m[2] ? 100 : 1) : Number.NaN;
    if (!(share > 0 && share <= 1)) throw new ProfileError(`--network: share of ${profile.name} must be in (0, 1] or (0 %, 100 %], got "${shareText}"`);
    return { profile, share };
  });
  if (new Set(shares.map((s) => s.profile.name)).size !== shares.length) throw new ProfileError('--network: a profile is listed twice');
  const total = shares.reduce((sum, s) => sum + s.share, 0);
  if (total > 1 + 1e-9) throw new ProfileError(`--network: shares add up to ${Math.round(total * 100)} % of the receivers`);
  return shares;
}

/**
 * Which profile receiver i of n gets: the first round(share × n) receivers take the first profile,
 * and so on; the rest keep the plain link (undefined).
 */
export function profileForReceiver(shares: NetworkShare[], index: number, count: number): NetworkProfile | undefined {
  let start = 0;
  for (const s of shares) {
    const end = start + Math.round(s.share * count);
    if (index >= start && index < end) return s.profile;
    start = end;
  }
  return undefined;
}
