/**
 * Floor-control benchmark: 1 lecturer, M classroom endpoints and N students on one lecture,
 * measuring raise-hand latency and grant → relay latency against the targets.
 *
 *   node --import tsx load-tests/src/floor/floorBench.ts [--classrooms 20] [--students 500] [--rounds 5]
 *
 * Without --url it starts a local node as a child process on 127.0.0.1 and stops it at the end,
 * on an error, on SIGINT/SIGTERM and after the global --timeout. It talks to nothing else.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LectureStats } from '@tongtang/shared';
import { mintToken } from '@tongtang/signaling/tokens';
import { benchLog, gitRevision, parseOrExit, runBench } from '../bench/cli.ts';
import { parseBenchArgs, USAGE, UsageError, type BenchConfig } from './args.ts';
import type { BenchPeer } from './benchPeer.ts';
import { measureGrantRelay, RelayTracker, type RoundResult } from './grants.ts';
import { measureRaiseHand, type HandsResult } from './hands.ts';
import { startLocalServer, type LocalServer } from './localServer.ts';
import { inPhase, type PhaseStats } from './phases.ts';
import { emptyJoinStats, joinTailObserver, populate, type JoinStats, type MintFn } from './population.ts';
import { buildResults, formatSummary, type BenchInputs } from './report.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const log = benchLog('floorBench');
const config: BenchConfig = parseOrExit(() => parseBenchArgs(process.argv.slice(2), repoRoot), USAGE, (e) => e instanceof UsageError);

// Everything the run has gathered so far: an aborted run still writes what it measured.
const startedAt = new Date();
const abort = new AbortController();
const registry: BenchPeer[] = [];
const phases: PhaseStats[] = [];
const joins: JoinStats = emptyJoinStats();
let hands: HandsResult | null = null;
let rounds: RoundResult[] = [];
let serverStats: LectureStats | null = null;
let local: LocalServer | undefined;
let serverUrl = config.url ?? '';
let finishing = false;

async function finish(aborted: string | null, exitCode: number): Promise<never> {
  if (finishing) return new Promise<never>(() => undefined); // the first caller exits
  finishing = true;
  clearTimeout(deadline);
  abort.abort();
  try {
    const inputs: BenchInputs = {
      config, startedAt, participants: 1 + config.classrooms + config.students, joins, hands, rounds, phases, serverStats, aborted,
      server: {
        kind: local ? 'local' : 'remote', url: serverUrl, warnings: local?.warnings() ?? [], logFile: local?.logFile,
        revision: local ? gitRevision(config.serverDir, ['signaling', 'sfu-server', 'shared']) : 'unknown (remote)',
      },
    };
    const results = buildResults(inputs);
    process.stdout.write(`\n${formatSummary(results)}\n`);
    fs.mkdirSync(path.dirname(config.out), { recursive: true });
    fs.writeFileSync(config.out, `${JSON.stringify(results, null, 2)}\n`);
    log(`results written to ${path.relative(process.cwd(), config.out)}`);
  } catch (err) {
    log(`could not write results: ${(err as Error).stack ?? String(err)}`);
    exitCode = exitCode || 1;
  }
  for (const peer of registry) peer.close();
  await local?.stop().catch((err: Error) => log(`stopping the server failed: ${err.message}`));
  process.exit(exitCode);
}

async function main(): Promise<void> {
  let secret = config.secret ?? '';
  if (!config.url) {
    log(`starting a local server (${config.workers} mediasoup workers)`);
    local = await startLocalServer({
      serverDir: config.serverDir, workers: config.workers, requestsPerSecond: config.requestsPerSecond, logFile: config.out.replace(/\.json$/, '') + '.server.log',
    });
    serverUrl = local.url;
    secret = local.secret;
  }
  // A fresh lecture id per run: against a shared server, runs never meet each other's state.
  const lectureId = `bench-${Date.now().toString(36)}`;
  const mint: MintFn = (role, subject, name, classroom) =>
    mintToken(secret, { lectureId, role, name, subject, classroomId: classroom?.id, classroomName: classroom?.name, ttlSeconds: 3600 });
  const tracker = new RelayTracker();
  const pid = local?.pid;
  const total = 1 + config.classrooms + config.students;

  log(`joining ${total} participants to ${serverUrl} at ${config.joinRate}/s (all in this process)`);
  const pop = await inPhase('connect + join', pid, phases, () =>
    populate(config, { url: serverUrl, mint, hooks: tracker, signal: abort.signal, registry, joins, log }).catch((err: unknown) => {
      throw new Error(`the lecturer could not set up the lecture: ${(err as Error).message}`);
    }),
    serverUrl,
  );
  if (abort.signal.aborted) return; // finish() is already tearing down
  log(`joined ${joins.ok}/${joins.attempted} (settled in ${joins.settleMs.toFixed(0)} ms)`);

  log(`raising ${config.hands} hands at ${config.handRate}/s`);
  const tail = await joinTailObserver(serverUrl, mint).catch((err: Error) => {
    log(`tail observer could not join (${err.message}); measuring the lecturer only`);
    return null;
  });
  hands = await inPhase('raise hands', pid, phases, () =>
    measureRaiseHand(pop.lecturer, pop.students, tail, {
      count: config.hands, perSecond: config.handRate, batch: config.handBatch, signal: abort.signal,
    }),
    serverUrl,
  );
  // Gone before the rounds, so every receiver there is a full participant.
  tail?.close();
  if (abort.signal.aborted) return;

  // Speakers from the end of the list: not the students who just raised their hands.
  const speakers = pop.students.filter((s) => s.connected).slice(-Math.max(1, config.rounds)).reverse();
  log(`${config.rounds} grant → relay rounds to ${pop.all.length - 1} receivers each`);
  rounds = await inPhase('grant → relay', pid, phases, () =>
    measureGrantRelay(pop.lecturer, pop.all, speakers, tracker, {
      rounds: config.rounds, roundTimeoutMs: 30_000, pauseMs: 1_000, signal: abort.signal,
    }),
    serverUrl,
  );
  if (abort.signal.aborted) return;
  serverStats = await pop.lecturer.client.request('stats:get', {}, 10_000).catch(() => null);
}

const deadline = runBench(main, config.timeoutS, log, finish);
