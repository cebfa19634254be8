/** Command line of the signaling fan-out benchmark (fanoutBench.ts). */
import path from 'node:path';
import { parseArgs } from 'node:util';

/** `single`: one node without Redis (the plain deployment); `cluster-N`: a local Redis and N nodes. */
export interface Setup {
  name: string;
  /** 0 = no Redis at all. */
  clusterNodes: number;
}

export interface FanoutConfig {
  setups: Setup[];
  /** Signaling-only receivers (students), spread round-robin over the nodes. */
  clients: number;
  /** Measured broadcasts per setup, after `warmup` unmeasured ones. */
  messages: number;
  warmup: number;
  /** Pause between one broadcast fully arriving and the next emit, so broadcasts never overlap. */
  gapMs: number;
  joinRate: number;
  out: string;
  timeoutS: number;
}

export const USAGE = `usage: npm run bench:fanout -- [options]
  --setups LIST      comma-separated: single (one node, no Redis), cluster-N (Redis + N nodes)
                     (default single,cluster-1,cluster-2)
  --clients N        signaling-only students, round-robin over the nodes (500)
  --messages N       measured broadcasts per setup (200)   --warmup N  unmeasured first (20)
  --gap-ms N         pause between broadcasts (20)         --join-rate N  joins a second (100)
  --out FILE         JSON results (load-tests/results/fanout-<timestamp>.json)
  --timeout S        abort the whole run after S seconds (900)`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseSetups(raw: string): Setup[] {
  const setups = raw.split(',').map((s) => s.trim()).filter(Boolean).map((name): Setup => {
    if (name === 'single') return { name, clusterNodes: 0 };
    const m = /^cluster-(\d+)$/.exec(name);
    const n = m ? Number(m[1]) : 0;
    if (n < 1 || n > 8) throw new UsageError(`--setups: expected single or cluster-1..cluster-8, got "${name}"`);
    return { name, clusterNodes: n };
  });
  if (setups.length === 0) throw new UsageError('--setups: nothing to run');
  return setups;
}

export function parseFanoutArgs(argv: string[], repoRoot: string, now = new Date()): FanoutConfig {
  let values;
  try {
    values = parseArgs({
      args: argv, strict: true,
      options: {
        setups: { type: 'string' }, clients: { type: 'string' }, messages: { type: 'string' }, warmup: { type: 'string' },
        'gap-ms': { type: 'string' }, 'join-rate': { type: 'string' }, out: { type: 'string' }, timeout: { type: 'string' },
      },
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const int = (raw: string | undefined, name: string, fallback: number, min: number, max: number): number => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number in ${min}..${max}`);
    return n;
  };
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return {
    setups: parseSetups(values.setups ?? 'single,cluster-1,cluster-2'),
    clients: int(values.clients, 'clients', 500, 1, 5_000),
    messages: int(values.messages, 'messages', 200, 1, 100_000),
    warmup: int(values.warmup, 'warmup', 20, 0, 10_000),
    gapMs: int(values['gap-ms'], 'gap-ms', 20, 0, 60_000),
    joinRate: int(values['join-rate'], 'join-rate', 100, 1, 1_000),
    out: path.resolve(values.out ?? path.join(repoRoot, 'load-tests/results', `fanout-${stamp}.json`)),
    timeoutS: int(values.timeout, 'timeout', 900, 10, 24 * 3600),
  };
}
