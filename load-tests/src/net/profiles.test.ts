import { describe, expect, it } from 'vitest';
import { parseNetworkShares, profileForReceiver, profileNamed, PROFILE_NAMES, PROFILES } from './profiles.ts';

describe('network profiles', () => {
  it('has the named profiles of issue 12, kashgar as specified', () => {
    expect(Object.keys(PROFILES).sort()).toEqual([...PROFILE_NAMES].sort());
    const k = profileNamed('kashgar');
    expect(k.down.rateKbit).toBe(300);
    expect(k.down.delayMs + k.up.delayMs).toBe(150); // RTT
    expect(k.down.lossPct).toBe(3);
    const lossy = profileNamed('LOSSY-5');
    expect(lossy.up.lossPct).toBe(5);
    expect(lossy.up.delayMs + lossy.down.delayMs).toBe(200);
  });

  it('keeps every profile\'s jitter within its delay', () => {
    for (const p of Object.values(PROFILES)) for (const l of [p.up, p.down]) expect(l.jitterMs).toBeLessThanOrEqual(l.delayMs);
  });

  it('parses PROFILE, PROFILE:fraction and PROFILE:percent, several at once', () => {
    expect(parseNetworkShares('kashgar')).toEqual([{ profile: PROFILES.kashgar, share: 1 }]);
    expect(parseNetworkShares('kashgar:0.25, mobile-3g:50%')).toEqual([
      { profile: PROFILES.kashgar, share: 0.25 }, { profile: PROFILES['mobile-3g'], share: 0.5 },
    ]);
  });

  it('rejects unknown profiles, bad shares, repeats and shares over 100 %', () => {
    expect(() => parseNetworkShares('mars')).toThrow(/unknown network profile "mars"/);
    expect(() => parseNetworkShares('kashgar:0')).toThrow(/share/);
    expect(() => parseNetworkShares('kashgar:150%')).toThrow(/share/);
    expect(() => parseNetworkShares('kashgar:abc')).toThrow(/share/);
    expect(() => parseNetworkShares('kashgar:1:2')).toThrow(/PROFILE\[:share\]/);
    expect(() => parseNetworkShares('kashgar:0.5,kashgar:0.2')).toThrow(/twice/);
    expect(() => parseNetworkShares('kashgar:60%,lossy-5:50%')).toThrow(/110 %/);
    expect(() => parseNetworkShares(' , ')).toThrow(/no profile/);
  });

  it('gives each profile its share of the receivers, the rest the plain link', () => {
    const shares = parseNetworkShares('kashgar:25%,lossy-5:0.5');
    const names = Array.from({ length: 8 }, (_, i) => profileForReceiver(shares, i, 8)?.name ?? 'plain');
    expect(names).toEqual(['kashgar', 'kashgar', 'lossy-5', 'lossy-5', 'lossy-5', 'lossy-5', 'plain', 'plain']);
  });
});
