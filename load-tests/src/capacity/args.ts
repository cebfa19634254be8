/** Command line of the per-worker capacity benchmark. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SRTP_SUITES, type SrtpSuite } from './srtp.ts';

export interface CapacityConfig {
  /** Worker counts to run, in order, e.g. [1] or [1, 2]; the scaling ratio needs both 1 and 2. */
  workers: number[];
  /** Receiver counts per step, ascending; each step adds receivers to the previous one. */
  steps: number[];
  warmupS: number;
  measureS: number;
  /** UDP sockets in the receiver process the receivers' transports send to. */
  sockets: number;
  srtpSuite: SrtpSuite;
  /** Camera layer every receiver asks for: 2 = 720p (a projector), 0 = 180p (a phone or small tile). */
  layer: number;
  /** Video pacing rate over the sum of the layers' bitrates (libwebrtc: 2.5); 0 = no pacing. */
  pacingFactor: number;
  out: string;
  /** Whole run, after which everything is torn down and the process exits non-zero. */
  timeoutS: number;
}

export const DEFAULT_STEPS = [50, 100, 200, 300, 400, 500, 600, 800];

export const USAGE = `usage: node --import tsx load-tests/src/capacity/workerCapacity.ts [options]
  --workers LIST   mediasoup workers per run, comma-separated: 1, 2 or 1,2 (1)
  --steps LIST     receivers per step, ascending (${DEFAULT_STEPS.join(',')})
  --warmup S       seconds between adding receivers and measuring (3)
  --measure S      seconds measured per step (10)
  --sockets N      UDP sockets of the receiver process (8)
  --pacing F       video pacing rate / media bitrate, as libwebrtc's pacer (2.5); 0 = whole frames at once
  --layer N        camera layer the receivers take: 2 = 720p, 1 = 360p, 0 = 180p (2)
  --srtp SUITE     ${SRTP_SUITES.join(' | ')} (AES_CM_128_HMAC_SHA1_80)
  --out FILE       JSON results (load-tests/results/capacity-<timestamp>.json)
  --timeout S      abort the whole run after S seconds (1200)`;

export class UsageError extends Error {
  override name = 'UsageError';
}

function intList(raw: string, name: string, min: number, max: number): number[] {
  const list = raw.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < min || n > max)) {
    throw new UsageError(`--${name} must be comma-separated whole numbers in ${min}..${max}`);
  }
  return list;
}

export function parseCapacityArgs(argv: string[], repoRoot: string): CapacityConfig {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      workers: { type: 'string' }, steps: { type: 'string' }, warmup: { type: 'string' }, measure: { type: 'string' },
      sockets: { type: 'string' }, layer: { type: 'string' }, pacing: { type: 'string' }, srtp: { type: 'string' }, out: { type: 'string' }, timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) throw new UsageError('');
  const int = (name: 'warmup' | 'measure' | 'sockets' | 'timeout' | 'layer', fallback: number, min: number, max: number): number => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number in ${min}..${max}`);
    return n;
  };
  const workers = intList(values.workers ?? '1', 'workers', 1, 2);
  const steps = values.steps === undefined ? DEFAULT_STEPS : intList(values.steps, 'steps', 1, 5_000);
  if (steps.some((n, i) => i > 0 && n <= steps[i - 1]!)) throw new UsageError('--steps must be ascending');
  // Receivers are split evenly across the routers: an odd step would load one worker more.
  if (workers.includes(2) && steps.some((n) => n % 2 !== 0)) throw new UsageError('--steps must be even with 2 workers');
  const srtpSuite = (values.srtp ?? 'AES_CM_128_HMAC_SHA1_80') as SrtpSuite;
  if (!SRTP_SUITES.includes(srtpSuite)) throw new UsageError(`--srtp must be one of ${SRTP_SUITES.join(', ')}`);
  const pacingFactor = Number(values.pacing ?? 2.5);
  if (!Number.isFinite(pacingFactor) || pacingFactor < 0 || pacingFactor > 100) throw new UsageError('--pacing must be a number in 0..100');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return {
    workers,
    steps,
    warmupS: int('warmup', 3, 0, 60),
    measureS: int('measure', 10, 1, 600),
    sockets: int('sockets', 8, 1, 64),
    srtpSuite,
    layer: int('layer', 2, 0, 2),
    pacingFactor,
    out: path.resolve(values.out ?? path.join(repoRoot, 'load-tests/results', `capacity-${stamp}.json`)),
    timeoutS: int('timeout', 1200, 10, 24 * 3600),
  };
}
