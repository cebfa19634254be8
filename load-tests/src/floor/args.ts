/** Command line of the floor-control benchmark. */
import path from 'node:path';
import { parseArgs } from 'node:util';

export interface BenchConfig {
  classrooms: number;
  students: number;
  /** Grant → relay rounds. */
  rounds: number;
  /** Students that raise a hand, and how many a second. */
  hands: number;
  handRate: number;
  /** Hands raised before the lecturer clears the queue (the queue the lecturer receives grows to this). */
  handBatch: number;
  /** Participants connected a second, and at most this many joining at once. */
  joinRate: number;
  joinConcurrency: number;
  /** Lecturer publishes camera + microphone and classrooms their room camera, as in a real lecture. */
  programMedia: boolean;
  /** Existing server; without it a local one is started as a child process. */
  url?: string;
  secret?: string;
  /** Checkout whose signaling/src/main.ts the local server runs (default: this repository). */
  serverDir: string;
  workers: number;
  requestsPerSecond: number;
  out: string;
  /** Whole run, after which everything is torn down and the process exits non-zero. */
  timeoutS: number;
}

export const USAGE = `usage: node --import tsx load-tests/src/floor/floorBench.ts [options]
  --classrooms N      partner classroom endpoints (20)
  --students N        individual students (500)
  --rounds N          floor grant -> relay rounds (5)
  --hands N           students raising a hand (200)   --hand-rate N  per second (20)
  --hand-batch N      raises before the lecturer clears the queue (200)
  --join-rate N       joins started per second (50)   --join-concurrency N  in flight (50)
  --no-program-media  lecturer and classrooms publish nothing before the rounds
  --url URL --secret S  use a running server (its JWT_SECRET) instead of starting one
  --server-dir DIR    checkout the local server runs from (this repository)
  --workers N         mediasoup workers of the local server (2)
  --rps N             REQUESTS_PER_SECOND of the local server (1000)
  --out FILE          JSON results (load-tests/results/floor-<timestamp>.json)
  --timeout S         abort the whole run after S seconds (600)`;

export function parseBenchArgs(argv: string[], repoRoot: string): BenchConfig {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      classrooms: { type: 'string' }, students: { type: 'string' }, rounds: { type: 'string' },
      hands: { type: 'string' }, 'hand-rate': { type: 'string' }, 'hand-batch': { type: 'string' },
      'join-rate': { type: 'string' }, 'join-concurrency': { type: 'string' },
      'no-program-media': { type: 'boolean' },
      url: { type: 'string' }, secret: { type: 'string' },
      'server-dir': { type: 'string' }, workers: { type: 'string' }, rps: { type: 'string' }, out: { type: 'string' }, timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) throw new UsageError('');
  const int = (name: keyof typeof values, fallback: number, min = 0, max = 100_000): number => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number in ${min}..${max}`);
    return n;
  };
  if ((values.url === undefined) !== (values.secret === undefined)) throw new UsageError('--url and --secret go together');
  if (values.url !== undefined && !/^https?:\/\//.test(values.url)) throw new UsageError('--url must be an http(s) URL');
  const students = int('students', 500, 1, 5_000);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const config: BenchConfig = {
    classrooms: int('classrooms', 20, 0, 500),
    students,
    rounds: int('rounds', 5, 0, 100),
    hands: Math.min(int('hands', 200), students),
    handRate: int('hand-rate', 20, 1, 1_000),
    handBatch: int('hand-batch', 200, 1),
    joinRate: int('join-rate', 50, 1, 1_000),
    joinConcurrency: int('join-concurrency', 50, 1, 1_000),
    programMedia: values['no-program-media'] !== true,
    url: values.url?.replace(/\/$/, ''),
    secret: values.secret,
    serverDir: path.resolve(values['server-dir'] ?? repoRoot),
    workers: int('workers', 2, 1, 64),
    requestsPerSecond: int('rps', 1000, 1, 1_000_000),
    out: path.resolve(values.out ?? path.join(repoRoot, 'load-tests/results', `floor-${stamp}.json`)),
    timeoutS: int('timeout', 600, 10, 24 * 3600),
  };
  return config;
}

export class UsageError extends Error {
  override name = 'UsageError';
}
