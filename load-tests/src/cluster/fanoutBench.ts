/**
 * Signaling fan-out benchmark: how long one broadcast takes to reach every client, on one node
 * and across clustered nodes (the Socket.IO Redis Streams adapter carries it between nodes).
 *
 *   npm run bench:fanout -- [--setups single,cluster-1,cluster-2] [--clients 500] [--messages 200]
 *
 * Per setup it starts its own servers on 127.0.0.1 (a node without Redis, or a throwaway
 * redis-server and N nodes), joins the lecturer on node 0 and the students round-robin over the
 * nodes, times the lecturer's chat to everyone, and stops the servers again — also on an error,
 * SIGINT/SIGTERM and the global --timeout. It talks to nothing else.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalServer } from '../cli/localServer.ts';
import { startCpuMeter, processCpuMs } from '../stats/cpu.ts';
import type { Summary } from '../stats/percentiles.ts';
import { parseFanoutArgs, USAGE, UsageError, type FanoutConfig, type Setup } from './fanoutArgs.ts';
import { measureFanout } from './fanout.ts';
import { fanoutStats, type FanoutStats } from './fanoutStats.ts';
import { startLocalCluster } from './localCluster.ts';
import { killStarted } from './processes.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const log = (m: string) => process.stderr.write(`[fanout ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
/** The lecturer sends one request per broadcast; the stock 50/s limit is not what is measured. */
const SERVER_ENV = { REQUESTS_PER_SECOND: '1000' };

interface Servers {
  urls: string[];
  secret: string;
  /** Processes whose CPU is metered during the broadcasts. */
  pids: { name: string; pid: number }[];
  stop(): Promise<void>;
}

interface SetupResult {
  setup: string;
  urls: string[];
  joined: number;
  joinFailures: string[];
  stats: FanoutStats;
  /** Sends the lecturer's chat budget refused and the tool sent again (not counted as missing). */
  refused: number;
  /** CPU during the broadcasts: per server process and of this (client) process. */
  cpu: { process: string; cpuPct: number; msPerBroadcast: number }[];
}

let config: FanoutConfig;
try {
  config = parseFanoutArgs(process.argv.slice(2), repoRoot);
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  process.stderr.write(`${err.message}\n${USAGE}\n`);
  process.exit(2);
}

const abort = new AbortController();
let servers: Servers | undefined;
let finishing = false;

async function startServers(setup: Setup, dir: string): Promise<Servers> {
  if (setup.clusterNodes === 0) {
    const s = await startLocalServer({ sfuWorkers: 1, logFile: path.join(dir, 'node-0.log'), env: SERVER_ENV });
    return { urls: [s.url], secret: s.secret, pids: [{ name: 'node 0', pid: s.pid }], stop: s.stop };
  }
  const c = await startLocalCluster({ nodes: setup.clusterNodes, sfuWorkers: 1, logDir: dir, env: SERVER_ENV });
  return {
    urls: c.nodes.map((n) => n.url), secret: c.secret, stop: c.stop,
    pids: [...c.nodes.map((n, i) => ({ name: `node ${i}`, pid: n.pid })), ...(c.redis.pid ? [{ name: 'redis', pid: c.redis.pid }] : [])],
  };
}

async function runSetup(setup: Setup): Promise<SetupResult> {
  const dir = config.out.replace(/\.json$/, `-${setup.name}`);
  log(`${setup.name}: starting servers (logs in ${path.relative(process.cwd(), dir)})`);
  servers = await startServers(setup, dir);
  try {
    let before = new Map<string, number>();
    let wallStart = 0;
    let client: ReturnType<typeof startCpuMeter> | undefined;
    let cpu: SetupResult['cpu'] = [];
    const run = await measureFanout(servers.urls, servers.secret, config, {
      signal: abort.signal, log: (m) => log(`${setup.name}: ${m}`),
      beforeBroadcasts: () => {
        before = new Map(servers!.pids.map((p) => [p.name, processCpuMs(p.pid) ?? Number.NaN]));
        wallStart = performance.now();
        client = startCpuMeter();
      },
      afterBroadcasts: () => {
        const wallMs = performance.now() - wallStart;
        const total = config.warmup + config.messages;
        const own = client!.stop();
        cpu = [
          ...servers!.pids.map((p) => {
            const ms = (processCpuMs(p.pid) ?? Number.NaN) - before.get(p.name)!;
            return { process: p.name, cpuPct: (100 * ms) / wallMs, msPerBroadcast: ms / total };
          }),
          { process: 'clients (this process)', cpuPct: own.cpuPct, msPerBroadcast: own.cpuMs / total },
        ];
      },
    });
    return { setup: setup.name, urls: servers.urls, joined: run.joined, joinFailures: run.joinFailures, stats: fanoutStats(run.broadcasts, run.nodeOf), refused: run.refused, cpu };
  } finally {
    log(`${setup.name}: stopping servers`);
    await servers.stop();
    servers = undefined;
  }
}

const ms = (s: Summary, k: 'p50' | 'p95' | 'p99' | 'max') => (s[k] === null ? '–' : s[k]!.toFixed(1));

function table(results: SetupResult[]): string {
  const rows = results.flatMap((r) => [
    `${r.setup.padEnd(10)} joined ${r.joined}, ${r.stats.broadcasts} broadcasts, missing ${r.stats.missing}, ack p50 ${ms(r.stats.ackMs, 'p50')} ms; `
      + `${r.refused} sends refused by the lecturer's chat budget (1 a second after a burst of 5) and sent again`,
    `  last receiver  p50 ${ms(r.stats.lastReceiverMs, 'p50')}  p95 ${ms(r.stats.lastReceiverMs, 'p95')}  p99 ${ms(r.stats.lastReceiverMs, 'p99')}  max ${ms(r.stats.lastReceiverMs, 'max')} ms`,
    `  per client     p50 ${ms(r.stats.perClientMs, 'p50')}  p95 ${ms(r.stats.perClientMs, 'p95')}  p99 ${ms(r.stats.perClientMs, 'p99')}  max ${ms(r.stats.perClientMs, 'max')} ms`,
    ...(r.stats.byNode.length > 1 ? r.stats.byNode.map((n) =>
      `  node ${n.node} (${n.clients} clients)  per client p50 ${ms(n.perClientMs, 'p50')} p95 ${ms(n.perClientMs, 'p95')}; last p50 ${ms(n.lastReceiverMs, 'p50')} p95 ${ms(n.lastReceiverMs, 'p95')} ms`) : []),
    `  CPU: ${r.cpu.map((c) => `${c.process} ${c.cpuPct.toFixed(0)}% (${c.msPerBroadcast.toFixed(2)} ms/broadcast)`).join(', ')}`,
  ]);
  return rows.join('\n');
}

async function finish(code: number, reason: string | null, results: SetupResult[]): Promise<never> {
  if (finishing) return new Promise<never>(() => undefined);
  finishing = true;
  abort.abort();
  clearTimeout(deadline);
  await servers?.stop().catch(() => undefined);
  killStarted(); // a Redis a half-started setup left behind
  if (results.length > 0) {
    fs.mkdirSync(path.dirname(config.out), { recursive: true });
    fs.writeFileSync(config.out, `${JSON.stringify({ config, aborted: reason, results }, null, 2)}\n`);
    process.stdout.write(`\n${table(results)}\n\nresults: ${path.relative(process.cwd(), config.out)}\n`);
  }
  if (reason) log(`aborted: ${reason}`);
  process.exit(code);
}

const results: SetupResult[] = [];
const deadline = setTimeout(() => void finish(3, `global timeout of ${config.timeoutS} s`, results), config.timeoutS * 1000);
process.on('SIGINT', () => void finish(130, 'SIGINT', results));
process.on('SIGTERM', () => void finish(143, 'SIGTERM', results));

(async () => {
  for (const setup of config.setups) {
    if (abort.signal.aborted) break;
    results.push(await runSetup(setup));
  }
})().then(
  () => finish(0, null, results),
  (err: unknown) => finish(1, (err as Error).stack ?? String(err), results),
);
