/** The report's per-profile rows for receivers on emulated links (--network). */
import { profileNamed } from '../net/profiles.ts';
import { summarize } from '../stats/percentiles.ts';
import type { NetworkRow, ReceiverRow, RunRecord } from './types.ts';

export function networkRows(run: RunRecord, joined: ReceiverRow[]): NetworkRow[] {
  const profiles = [...new Set(run.peers.flatMap((p) => (p.network && p.error === null ? [p.network.profile] : [])))].sort();
  return profiles.map((profile) => {
    const peers = run.peers.filter((p) => p.network?.profile === profile && p.error === null);
    const rows = joined.filter((r) => r.network === profile);
    const gaps = peers.flatMap((p) => p.gaps ?? []);
    const freezes = gaps.reduce((n, g) => n + g.count + (g.openMs !== null ? 1 : 0), 0);
    const minutes = peers.reduce((m, p) => m + (p.joinedAt !== null ? Math.max(0, run.endedAt - p.joinedAt) / 60_000 : 0), 0);
    const longest = gaps.map((g) => g.longestMs).filter((ms) => ms > 0);
    return {
      profile,
      description: profileNamed(profile).description,
      receivers: peers.length,
      lossPct: summarize(rows.flatMap((r) => (r.lossPct !== null ? [r.lossPct] : []))),
      receiverKbps: summarize(rows.map((r) => r.kbps)),
      freezes,
      freezesPerMinute: minutes > 0 ? freezes / minutes : null,
      longestFreezeMs: longest.length > 0 ? Math.max(...longest) : null,
      receiversWithFreezes: peers.filter((p) => (p.gaps ?? []).some((g) => g.count > 0 || g.openMs !== null)).length,
      relayDownLost: peers.reduce((n, p) => n + p.network!.downLost, 0),
      relayUpLost: peers.reduce((n, p) => n + p.network!.upLost, 0),
      relayQueueDropped: peers.reduce((n, p) => n + p.network!.downQueueDropped, 0),
    };
  });
}
