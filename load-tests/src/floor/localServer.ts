/**
 * Starts a Tongtang node as a child process on 127.0.0.1 for the benchmark, and stops it.
 * A child process, not in-process: the server must not share the client's event loop, or each
 * side's latency would include the other's work.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { workerBin } from '../cli/localServer.ts';
import { freePort } from '../cluster/processes.ts';
import { sleep } from './pace.ts';

export interface LocalServer {
  url: string;
  secret: string;
  pid: number;
  logFile: string;
  /** Lines the server logged at warn or above (JSON level ≥ 40), for the report. */
  warnings(): string[];
  stop(): Promise<void>;
}

export interface LocalServerOptions {
  /** A checkout with node_modules; the server runs its signaling/src/main.ts. */
  serverDir: string;
  workers: number;
  requestsPerSecond: number;
  logFile: string;
}

export async function startLocalServer(opts: LocalServerOptions): Promise<LocalServer> {
  const port = await freePort();
  const secret = crypto.randomBytes(24).toString('hex');
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const log = fs.createWriteStream(opts.logFile);
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'signaling/src/main.ts'], {
    cwd: opts.serverDir,
    env: {
      ...process.env,
      MEDIASOUP_WORKER_BIN: workerBin(),
      HOST: '127.0.0.1',
      PORT: String(port),
      JWT_SECRET: secret,
      SFU_WORKERS: String(opts.workers),
      SFU_LISTEN_IP: '127.0.0.1',
      SFU_RTC_PORT: '0',
      LOG_LEVEL: 'warn',
      REQUESTS_PER_SECOND: String(opts.requestsPerSecond),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const warnings: string[] = [];
  let partial = '';
  const onData = (chunk: Buffer) => {
    log.write(chunk);
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (isWarning(line) && warnings.length < 1000) warnings.push(line);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM'); // the server closes its workers on SIGTERM
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
    }
    log.end();
  };

  // Ready = /readyz answers 200 (workers up), not merely the port open.
  const deadline = performance.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`the server exited during start-up; see ${opts.logFile}`);
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`the server was not ready within 30 s; see ${opts.logFile}`);
    }
    const ok = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ok) break;
    await sleep(200);
  }
  return { url, secret, pid: child.pid!, logFile: opts.logFile, warnings: () => [...warnings], stop };
}

function isWarning(line: string): boolean {
  if (!line.startsWith('{')) return line.trim().length > 0; // stray stderr (stack traces) counts too
  try {
    return ((JSON.parse(line) as { level?: number }).level ?? 0) >= 40;
  } catch {
    return true;
  }
}
