/**
 * The one way our tools and tests start a Tongtang node: `signaling/src/main.ts` as a child
 * process on 127.0.0.1 (a separate process, so server and client never share an event loop),
 * ready once `GET /readyz` answers 200 — media workers up and, in a cluster, Redis connected —
 * not merely once it logged a line. Stopping is SIGTERM, then SIGKILL after a grace; a node its
 * starter forgot is SIGKILLed when this process exits, so none is ever left behind.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../cluster/processes.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The mediasoup worker binary: MEDIASOUP_WORKER_BIN, else what the build script prints (it caches). */
export function workerBin(): string {
  const fromEnv = process.env['MEDIASOUP_WORKER_BIN'];
  if (fromEnv) return fromEnv;
  const out = execFileSync('bash', [path.join(REPO_ROOT, 'scripts/build-mediasoup-worker.sh')], {
    cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
  });
  const bin = out.trim().split('\n').at(-1) ?? '';
  if (!bin || !fs.existsSync(bin)) throw new Error('no mediasoup worker binary: set MEDIASOUP_WORKER_BIN');
  return bin;
}

export interface StartNodeOptions {
  /** Settings over the defaults below (HOST and PORT are the node's own and cannot be set). */
  env?: Record<string, string | undefined>;
  /** Also tell the node its address as PUBLIC_URL (cluster nodes announce it to the others). */
  publicUrl?: boolean;
  /** Command-line flags for main.ts, e.g. `--demo`. */
  args?: string[];
  /** A checkout with node_modules whose main.ts runs (default: this repository). */
  cwd?: string;
  /** Both output streams are written here (the file is started afresh). */
  logFile?: string;
  /** Every complete output line, as it arrives. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** How long to wait for /readyz (default 30 s). */
  timeoutMs?: number;
  /** How long SIGTERM gets before SIGKILL (default 5 s). */
  graceMs?: number;
  /** What error messages call the node (default: its URL). */
  name?: string;
}

export interface StartedNode {
  url: string;
  pid: number;
  /** False once the process has exited. */
  readonly alive: boolean;
  /** The last output lines (both streams, up to LINES_KEPT). */
  lines(): string[];
  /** SIGTERM, SIGKILL after the grace; resolves once the process is gone. Safe twice. */
  stop(): Promise<void>;
  /** SIGKILL at once, as a crashed machine would die: no goodbye to Redis or clients. Safe twice. */
  kill(): Promise<void>;
}

/** The defaults every node gets: loopback, one worker, ephemeral RTC ports. */
const DEFAULTS = { SFU_WORKERS: '1', SFU_LISTEN_IP: '127.0.0.1', SFU_RTC_PORT: '0', LOG_LEVEL: 'info' };
const LINES_KEPT = 300;
const POLL_MS = 100;

/** Nodes started and not exited yet: the exit hook's list. */
const running = new Set<ChildProcess>();
let exitHooked = false;

export async function startNode(opts: StartNodeOptions = {}): Promise<StartedNode> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const name = opts.name ?? `the node at ${url}`;
  const log = opts.logFile ? openLog(opts.logFile) : undefined;
  const child = spawn(process.execPath, ['--import', 'tsx', 'signaling/src/main.ts', ...(opts.args ?? [])], {
    cwd: opts.cwd ?? REPO_ROOT,
    env: {
      ...process.env,
      MEDIASOUP_WORKER_BIN: workerBin(),
      ...DEFAULTS,
      ...opts.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      ...(opts.publicUrl ? { PUBLIC_URL: url } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);

  const kept: { stream: 'stdout' | 'stderr'; line: string }[] = [];
  for (const stream of ['stdout', 'stderr'] as const) {
    let partial = '';
    child[stream].on('data', (chunk: Buffer) => {
      log?.write(chunk);
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        kept.push({ stream, line });
        opts.onLine?.(line, stream);
      }
      if (kept.length > LINES_KEPT) kept.splice(0, kept.length - LINES_KEPT);
    });
  }

  let exitCode: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => { exitCode = signal ?? String(code); resolve(); });
    // Not even started (a missing cwd): no 'exit' follows.
    child.once('error', (err) => { exitCode ??= `error: ${err.message}`; resolve(); });
  });
  void exited.then(() => running.delete(child));
  // 'close', not 'exit': output may still arrive after the process is gone.
  child.once('close', () => log?.end());

  const end = async (signal: 'SIGTERM' | 'SIGKILL'): Promise<void> => {
    if (exitCode === undefined) {
      child.kill(signal);
      const timer = signal === 'SIGTERM' ? setTimeout(() => child.kill('SIGKILL'), opts.graceMs ?? 5_000) : undefined;
      await exited;
      clearTimeout(timer);
    }
  };
  const node: StartedNode = {
    url,
    pid: child.pid ?? -1,
    get alive() { return exitCode === undefined; },
    lines: () => kept.map((k) => k.line),
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  };

  const timeoutMs = opts.timeoutMs ?? 30_000;
  const failure = await waitReady(url, exited, timeoutMs);
  if (failure !== null) {
    const why = failure === 'exited' ? `exited (${exitCode}) before /readyz answered 200` : `was not ready (/readyz 200) within ${timeoutMs} ms`;
    await node.kill();
    throw new Error(`${name} ${why}${opts.logFile ? `; log: ${opts.logFile}` : ''}\n${tail(kept)}`);
  }
  return node;
}

/** null once /readyz answers 200; why not otherwise. */
async function waitReady(url: string, exited: Promise<void>, timeoutMs: number): Promise<'exited' | 'timeout' | null> {
  let gone = false;
  void exited.then(() => { gone = true; });
  const deadline = performance.now() + timeoutMs;
  while (!gone && performance.now() < deadline) {
    const ok = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
    if (ok) return null;
    await Promise.race([exited, new Promise((r) => setTimeout(r, POLL_MS))]);
  }
  return gone ? 'exited' : 'timeout';
}

/** The node's stderr tail (stack traces, tsx errors) and its last log lines, for an error message. */
function tail(kept: { stream: 'stdout' | 'stderr'; line: string }[]): string {
  const last = (stream: 'stdout' | 'stderr', n: number) => kept.filter((k) => k.stream === stream && k.line.trim()).slice(-n).map((k) => `  ${k.line}`);
  const stderr = last('stderr', 30);
  const stdout = last('stdout', 15);
  return [
    stderr.length ? `stderr:\n${stderr.join('\n')}` : 'stderr: (empty)',
    ...(stdout.length ? [`last log lines:\n${stdout.join('\n')}`] : []),
  ].join('\n');
}

function openLog(file: string): fs.WriteStream {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return fs.createWriteStream(file);
}

function track(child: ChildProcess): void {
  running.add(child);
  if (exitHooked) return;
  exitHooked = true;
  // Synchronous, as 'exit' handlers must be: SIGKILL cannot be refused.
  process.once('exit', () => { for (const c of running) c.kill('SIGKILL'); });
}
