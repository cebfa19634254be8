/** The load test's command line, parsed and checked before anything connects anywhere. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseNetworkShares, ProfileError, type NetworkShare } from '../net/profiles.ts';

export type LayerPolicy = 'auto' | 'mix' | 0 | 1 | 2;

export interface LoadTestOptions {
  /** Server under test (with several nodes, the lecturer's); absent with `local` / `localNodes`. */
  url?: string;
  /** Further nodes of the same cluster: receivers are spread round-robin over url and these. */
  otherUrls: string[];
  /** Start a server child process on 127.0.0.1 (killed at the end). */
  local: boolean;
  /** Start a throwaway Redis and this many clustered nodes on 127.0.0.1 (0: don't). */
  localNodes: number;
  /** mediasoup workers of the local server (of each local node). */
  sfuWorkers: number;
  classrooms: number;
  students: number;
  /** Measurement time after the last join started. */
  durationS: number;
  /** Joins started per second. */
  rampPerS: number;
  /** Students given the floor one after another (hand raise → grant → they speak). */
  speakers: number;
  /** Student interactions (reactions, chat, hands) per second, over all students. */
  interactionRate: number;
  secret?: string;
  lectureId: string;
  out: string;
  peersPerProcess: number;
  allowRemote: boolean;
  layers: LayerPolicy;
  metricsToken?: string;
  clipsDir?: string;
  /** No live progress line (tests, CI). */
  quiet: boolean;
  /** --local only: kill a mediasoup worker this long after the ramp started (a fault drill). */
  killWorkerAtS?: number;
  /** Emulated links (load-tests/src/net) for shares of the receivers; the rest connect directly. */
  network: NetworkShare[];
}

export const USAGE = `usage: npm run load-test -- [options]
  --url http://HOST:PORT   server under test (loopback only, unless --allow-remote); a comma-separated
                           list = nodes of one cluster: lecturer on the first, receivers round-robin over all
  --local                  start a server on 127.0.0.1 for the run   --sfu-workers N (1, per node)
  --local-nodes N          start a throwaway redis-server and N clustered nodes on 127.0.0.1
  --classrooms M (2)  --students N (20)  --duration 120s  --ramp 10/s
  --speakers K (0)         students given the floor in turn
  --interaction-rate R (0) reactions/chat/hands per second over all students
  --secret S               the server's JWT_SECRET (default: env JWT_SECRET)
  --lecture ID             lecture to join (default: a fresh load-<time> lecture)
  --layers auto|mix|0|1|2  simulcast layer receivers ask for (mix: spread over all three)
  --out DIR                report directory (default load-tests/results/<timestamp>)
  --peers-per-process N (100)   --metrics-token T   --clips DIR   --quiet
  --allow-remote           allow a non-loopback --url (your own server only)
  --kill-worker-at 30s     with --local: SIGKILL a media worker then (a fault drill; the report shows the gaps)
  --network PROFILE[:share]  put that share of the receivers (default all) on an emulated link through a
                           relay: campus, kashgar, mobile-3g, lossy-5; several comma-separated (kashgar:20%,lossy-5:0.1)`;

export class UsageError extends Error {}

const FLAGS = {
  url: { type: 'string' }, local: { type: 'boolean' }, 'local-nodes': { type: 'string' }, 'sfu-workers': { type: 'string' },
  classrooms: { type: 'string' }, students: { type: 'string' }, duration: { type: 'string' }, ramp: { type: 'string' },
  speakers: { type: 'string' }, 'interaction-rate': { type: 'string' }, secret: { type: 'string' },
  lecture: { type: 'string' }, out: { type: 'string' }, 'peers-per-process': { type: 'string' },
  'allow-remote': { type: 'boolean' }, layers: { type: 'string' }, 'metrics-token': { type: 'string' },
  clips: { type: 'string' }, quiet: { type: 'boolean' }, 'kill-worker-at': { type: 'string' },
  network: { type: 'string' },
} as const;

function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, strict: true, options: FLAGS }).values;
  } catch (err) {
    throw new UsageError((err as Error).message); // unknown flag, missing value...
  }
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env, now = new Date()): LoadTestOptions {
  const v = parseFlags(argv);
  if ([v.url, v.local, v['local-nodes']].filter(Boolean).length !== 1) throw new UsageError('give exactly one of --url, --local or --local-nodes');
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const options: LoadTestOptions = {
    otherUrls: [],
    local: v.local ?? false,
    localNodes: v['local-nodes'] ? count(v['local-nodes'], '--local-nodes', 1) : 0,
    sfuWorkers: count(v['sfu-workers'] ?? '1', '--sfu-workers', 1),
    classrooms: count(v.classrooms ?? '2', '--classrooms'),
    students: count(v.students ?? '20', '--students'),
    durationS: seconds(v.duration ?? '120s'),
    rampPerS: rate(v.ramp ?? '10/s'),
    speakers: count(v.speakers ?? '0', '--speakers'),
    interactionRate: positive(v['interaction-rate'] ?? '0', '--interaction-rate'),
    lectureId: v.lecture ?? `load-${stamp}`,
    out: v.out ?? path.join('load-tests', 'results', stamp),
    peersPerProcess: count(v['peers-per-process'] ?? '100', '--peers-per-process', 1),
    allowRemote: v['allow-remote'] ?? false,
    layers: layers(v.layers ?? 'mix'),
    quiet: v.quiet ?? false,
    network: v.network !== undefined ? networkShares(v.network) : [],
  };
  if (v.url) [options.url, ...options.otherUrls] = urlList(v.url, options.allowRemote);
  const secret = v.secret ?? env['JWT_SECRET'];
  if (secret) options.secret = secret;
  if (options.url && !options.secret) throw new UsageError('--url needs the server\'s JWT secret: --secret S or JWT_SECRET');
  if (v['metrics-token']) options.metricsToken = v['metrics-token'];
  if (v.clips) options.clipsDir = v.clips;
  if (v['kill-worker-at']) {
    if (!options.local) throw new UsageError('--kill-worker-at needs --local: it kills a worker of the server it started');
    options.killWorkerAtS = seconds(v['kill-worker-at']);
  }
  if (options.speakers > options.students) throw new UsageError('--speakers cannot exceed --students');
  if (options.classrooms + options.students === 0) throw new UsageError('nobody to receive: give --classrooms or --students');
  return options;
}

/** Only the machine itself, unless the operator says the remote server is theirs. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** "http://a:1,http://b:2": each checked; one node listed twice would only skew the spread. */
function urlList(raw: string, allowRemote: boolean): string[] {
  const urls = raw.split(',').map((u) => u.trim()).filter(Boolean).map((u) => checkUrl(u, allowRemote));
  if (urls.length === 0) throw new UsageError('--url: no URL given');
  if (new Set(urls).size !== urls.length) throw new UsageError('--url: a node is listed twice');
  return urls;
}

function checkUrl(raw: string, allowRemote: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--url is not a URL: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('--url must be http:// or https://');
  if (!isLoopbackHost(url.hostname) && !allowRemote) {
    throw new UsageError(`refusing to load ${url.hostname}: only loopback by default; pass --allow-remote for your own server`);
  }
  return url.origin;
}

/** "120s", "2m", "90" (seconds). */
export function seconds(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(raw.trim());
  if (!m) throw new UsageError(`--duration: expected e.g. 120s or 2m, got "${raw}"`);
  const n = Number(m[1]);
  const s = m[2] === 'm' ? n * 60 : m[2] === 'ms' ? n / 1000 : n;
  if (s <= 0 || s > 24 * 3600) throw new UsageError(`--duration out of range: ${raw}`);
  return s;
}

/** "10/s" or "10". */
export function rate(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)(?:\/s)?$/.exec(raw.trim());
  const n = m ? Number(m[1]) : Number.NaN;
  if (!(n > 0) || n > 1000) throw new UsageError(`--ramp: expected e.g. 10/s, got "${raw}"`);
  return n;
}

function count(raw: string, name: string, min = 0): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > 100_000) throw new UsageError(`${name}: expected a whole number ≥ ${min}, got "${raw}"`);
  return n;
}

function positive(raw: string, name: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > 10_000) throw new UsageError(`${name}: expected a number ≥ 0, got "${raw}"`);
  return n;
}

function networkShares(raw: string): NetworkShare[] {
  try {
    return parseNetworkShares(raw);
  } catch (err) {
    if (err instanceof ProfileError) throw new UsageError(err.message);
    throw err;
  }
}

function layers(raw: string): LayerPolicy {
  if (raw === 'auto' || raw === 'mix') return raw;
  if (raw === '0' || raw === '1' || raw === '2') return Number(raw) as 0 | 1 | 2;
  throw new UsageError(`--layers: expected auto, mix, 0, 1 or 2, got "${raw}"`);
}
