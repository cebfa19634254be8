/**
 * SFU capacity per mediasoup worker, without WebRTC clients: a 720p simulcast lecture (the load
 * test's pre-encoded clips, plain RTP from a sender process) goes into a router, and N receivers,
 * each an SRTP PlainTransport consuming camera (720p layer, or --layer) and microphone, send to a receiver
 * process that only counts RTP headers. Per step: worker CPU, forwarded packets, µs per packet,
 * loss, and the helpers' own CPU and kernel drops, so the worker's limit is not the clients'.
 *
 *   node --import tsx load-tests/src/capacity/workerCapacity.ts [--workers 1,2] [--steps 50,100,...]
 *
 * Everything stays on 127.0.0.1. Workers and helper processes are torn down at the end, on an
 * error, on SIGINT/SIGTERM and after the global --timeout.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchLog, gitRevision, parseOrExit, runBench } from '../bench/cli.ts';
import { ensureClips } from '../rtp/clips.ts';
import { parseCapacityArgs, USAGE, UsageError, type CapacityConfig } from './args.ts';
import { formatSummary, formatTable, scaling, summarize } from './report.ts';
import { release, runMode, type Held, type ModeResult } from './run.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const log = benchLog('workerCapacity');
const config: CapacityConfig = parseOrExit(() => parseCapacityArgs(process.argv.slice(2), repoRoot), USAGE, (e) => e instanceof UsageError);

const startedAt = new Date();
const abort = new AbortController();
const held: Held = {};
const modes: ModeResult[] = [];
let finishing = false;

/** Writes whatever was measured (an aborted run too), tears everything down and exits. */
async function finish(aborted: string | null, exitCode: number): Promise<never> {
  if (finishing) return new Promise<never>(() => undefined); // the first caller exits
  finishing = true;
  clearTimeout(deadline);
  abort.abort();
  release(held);
  try {
    for (const m of modes) process.stdout.write(`\n${m.workers} worker(s)\n${formatTable(m)}\n`);
    process.stdout.write(`\n${formatSummary(modes)}\n`);
    const results = {
      startedAt: startedAt.toISOString(), revision: gitRevision(repoRoot, ['sfu-server', 'load-tests/src']), aborted, config,
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadavgAtEnd: os.loadavg() },
      summaries: modes.map(summarize), scaling2over1: scaling(modes), modes,
    };
    fs.mkdirSync(path.dirname(config.out), { recursive: true });
    fs.writeFileSync(config.out, `${JSON.stringify(results, null, 2)}\n`);
    log(`results written to ${path.relative(process.cwd(), config.out)}`);
  } catch (err) {
    log(`could not write results: ${(err as Error).stack ?? String(err)}`);
    exitCode = exitCode || 1;
  }
  process.exit(exitCode);
}

async function main(): Promise<void> {
  const clipDir = ensureClips();
  const fail = (err: Error) => {
    log(`a mediasoup worker died: ${err.message}`);
    void finish(`worker died: ${err.message}`, 1);
  };
  for (const workers of config.workers) {
    log(`${workers} worker(s): steps ${config.steps.join(', ')} receivers, ${config.warmupS} s warm-up + ${config.measureS} s measured each`);
    const mode: ModeResult = { workers, receiverSockets: [], senderNice: 'not started', senderNominalPps: 0, steps: [] };
    modes.push(mode);
    await runMode(mode, config, clipDir, held, abort.signal, log, fail);
  }
}

const deadline = runBench(main, config.timeoutS, log, finish);
