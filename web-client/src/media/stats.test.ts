import { describe, expect, it } from 'vitest';
import { screenOptions } from './profiles.ts';
import { pathLabel, transportPathOf } from './stats.ts';

/** A stats report as Chromium shapes it: a transport pointing at its selected candidate pair. */
function report(local: Record<string, unknown>): RTCStatsReport {
  const entries: Record<string, unknown>[] = [
    { id: 'T1', type: 'transport', selectedCandidatePairId: 'CP1' },
    { id: 'CP1', type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R1', currentRoundTripTime: 0.052 },
    { id: 'L1', type: 'local-candidate', ...local },
    { id: 'R1', type: 'remote-candidate', protocol: 'udp', candidateType: 'host' },
  ];
  return new Map(entries.map((e) => [e.id as string, e])) as unknown as RTCStatsReport;
}

describe('the media path from WebRTC stats', () => {
  it('reads a direct path and names it by protocol', () => {
    const path = transportPathOf(report({ protocol: 'tcp', candidateType: 'host' }))!;
    expect(path).toEqual({ protocol: 'tcp', relayed: false, relayProtocol: null, rttMs: 52 });
    expect(pathLabel(path)).toBe('TCP');
  });

  it('reads a TURN relay and how the browser reaches it (TLS on a 443-only campus)', () => {
    const path = transportPathOf(report({ protocol: 'udp', candidateType: 'relay', relayProtocol: 'tls' }))!;
    expect(path).toMatchObject({ protocol: 'udp', relayed: true, relayProtocol: 'tls' });
    expect(pathLabel(path)).toBe('TURN/TLS');
    expect(pathLabel({ ...path, relayProtocol: null })).toBe('TURN/UDP');
  });
});

describe('the screen share profile', () => {
  it('has two simulcast layers, the low one small enough for a weak site', () => {
    const encodings = screenOptions.encodings!;
    expect(encodings.length).toBeGreaterThanOrEqual(2);
    expect(encodings[0]!.maxBitrate).toBeLessThanOrEqual(250_000);
    expect(encodings[0]!.scaleResolutionDownBy).toBeGreaterThan(1);
    expect(encodings.at(-1)!.scaleResolutionDownBy ?? 1).toBe(1);
  });
});
