/**
 * What one abusive connection costs everyone else: 60 honest participants each send a request a
 * second and time its round trip, first on a quiet server, then while one student floods it with
 * requests as fast as it can, then while it sends ~1 MB frames. The abuser reconnects whenever it
 * is dropped, as a determined one would. The server is a child process, and so is the abuser,
 * so neither the server's nor the flood's work lands in the honest clients' measurements.
 *
 *   npm run bench:flood [-- --phase-s 10 --clients 60]
 * Prints the honest clients' p50/p99 per phase, the ratio to the quiet phase, the server's RSS.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PROTOCOL_VERSION } from '@tongtang/shared';
import { mintToken } from '@tongtang/signaling/tokens';
import { benchLog, gitRevision } from '../bench/cli.ts';
import { startLocalServer } from '../floor/localServer.ts';
import { SignalClient } from '@tongtang/protocol-client';
import { summarize } from '../stats/percentiles.ts';
import { flood, type FloodKind } from './flooder.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const lectureId = 'flood-bench';
const FLOOD_CLIENT = { connectTimeoutMs: 10_000, requestTimeoutMs: 30_000 };
const log = benchLog('bench:flood');

if (process.argv[2] === '--flooder') {
  // The child: flood until the parent says stop.
  const [, , , url, token, kind] = process.argv;
  const stop = new AbortController();
  process.on('message', () => stop.abort());
  flood(url!, token!, kind as FloodKind, stop.signal).then((stats) => {
    process.send?.(stats);
    process.exit(0);
  }, (err: unknown) => {
    process.stderr.write(`flooder failed: ${String(err)}\n`);
    process.exit(1);
  });
} else {
  void main();
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    'phase-s': { type: 'string', default: '10' }, clients: { type: 'string', default: '60' },
    // Another checkout's server (an older revision) measured by the same clients, for a before/after.
    'server-dir': { type: 'string', default: repoRoot },
  } });
  const phaseMs = Number(values['phase-s']) * 1000;
  const clientCount = Number(values.clients);
  const serverDir = path.resolve(values['server-dir']);
  const server = await startLocalServer({ serverDir, workers: 1, requestsPerSecond: 50, logFile: path.join(repoRoot, 'load-tests/results/flood-server.log') });
  const mint = (role: 'lecturer' | 'student', subject: string) => mintToken(server.secret, { lectureId, role, name: subject, subject, ttlSeconds: 3600 });
  try {
    const lecturer = await SignalClient.connect(server.url, mint('lecturer', 'lecturer'), FLOOD_CLIENT);
    await lecturer.request('lecture:join', { protocolVersion: PROTOCOL_VERSION });
    const clients: SignalClient[] = [];
    for (let i = 0; i < clientCount; i++) {
      const c = await SignalClient.connect(server.url, mint('student', `honest-${i}`), FLOOD_CLIENT);
      await c.request('lecture:join', { protocolVersion: PROTOCOL_VERSION });
      clients.push(c);
    }
    log(`${clientCount} honest students joined; server ${serverDir} at ${gitRevision(serverDir, ['signaling', 'shared'])}`);
    await measure(clients, 3_000); // warm-up: JIT and first-use costs out of the quiet figures
    const rows: string[] = [];
    let quietP99 = NaN;
    for (const phase of ['quiet', 'requests', 'frames'] as const) {
      const abuser = phase === 'quiet' ? undefined : startFlooder(server.url, mint('student', 'abuser'), phase);
      await new Promise((r) => setTimeout(r, 1_000)); // let the flood reach full speed
      const samples = await measure(clients, phaseMs);
      const floodStats = abuser ? await abuser.stop() : undefined;
      const rss = await serverRss(server.url);
      const s = summarize(samples);
      const p50 = s.p50 ?? NaN;
      const p99 = s.p99 ?? NaN;
      if (phase === 'quiet') quietP99 = p99;
      const ratio = phase === 'quiet' ? '' : ` (${(p99 / quietP99).toFixed(2)}× quiet)`;
      const flooded = floodStats ? `; abuser sent ${floodStats.sent}, answered ${floodStats.answered}, dropped ${floodStats.drops}×` : '';
      rows.push(`${phase.padEnd(8)} honest requests ${s.count}: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms${ratio}; server RSS ${(rss / 2 ** 20).toFixed(0)} MiB${flooded}`);
      log(rows.at(-1)!);
    }
    process.stdout.write(`${rows.join('\n')}\n`);
    for (const c of [lecturer, ...clients]) c.close();
  } finally {
    await server.stop();
  }
}

/** Each honest client sends one request a second, spread over the second; returns round trips (ms). */
async function measure(clients: SignalClient[], durationMs: number): Promise<number[]> {
  const samples: number[] = [];
  const end = performance.now() + durationMs;
  await Promise.all(clients.map(async (c, i) => {
    await new Promise((r) => setTimeout(r, (1000 * i) / clients.length));
    while (performance.now() < end) {
      const start = performance.now();
      await c.request('chat:send', { to: 'lecturer', text: 'a question' }).catch(() => undefined);
      samples.push(performance.now() - start);
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - start))));
    }
  }));
  return samples;
}

function startFlooder(url: string, token: string, kind: FloodKind) {
  const child = fork(fileURLToPath(import.meta.url), ['--flooder', url, token, kind], { execArgv: ['--import', 'tsx'] });
  const result = new Promise<{ sent: number; answered: number; drops: number }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { sent: number; answered: number; drops: number }));
    child.once('exit', (code) => code !== 0 && reject(new Error(`flooder exited with ${code}`)));
  });
  return { stop: () => { child.send('stop'); return result; } };
}

async function serverRss(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1] ?? NaN);
}
