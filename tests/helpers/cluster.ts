/**
 * Real Tongtang node processes on loopback, and a Redis of the test's own (so stopping it does
 * not disturb other suites). Everything started here is stopped by `stopAll`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort, killStarted, RedisProcess, waitForLine } from '../../load-tests/src/cluster/processes.ts';

// Redis and the port helper live with the load-test tool, which starts clusters too.
export { freePort, RedisProcess };

const root = path.resolve(import.meta.dirname, '../..');
const children = new Set<ChildProcess>();

export interface NodeOptions {
  id: string;
  redisUrl: string;
  secret: string;
  prefix: string;
  env?: NodeJS.ProcessEnv;
}

const LOG_LINES_KEPT = 300;

export class NodeProcess {
  /** The node's last log lines, so a failing test can say what the node was doing. */
  private readonly lines: string[] = [];

  private constructor(readonly id: string, readonly url: string, private readonly child: ChildProcess) {
    let partial = '';
    const keep = (chunk: Buffer) => {
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      this.lines.push(...parts);
      if (this.lines.length > LOG_LINES_KEPT) this.lines.splice(0, this.lines.length - LOG_LINES_KEPT);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  /** The last `n` log lines at or above `minLevel` (pino: 30 info, 40 warn), plain lines always. */
  logTail(n = 40, minLevel = 30): string {
    const level = (line: string) => {
      try {
        return (JSON.parse(line) as { level?: number }).level ?? 100;
      } catch {
        return 100;
      }
    };
    return this.lines.filter((l) => level(l) >= minLevel).slice(-n).map((l) => `[${this.id}] ${l}`).join('\n');
  }

  static async start(opts: NodeOptions): Promise<NodeProcess> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'signaling/src/main.ts'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: url, NODE_ID: opts.id, JWT_SECRET: opts.secret,
        REDIS_URL: opts.redisUrl, REDIS_PREFIX: opts.prefix, SFU_WORKERS: '1', SFU_LISTEN_IP: '127.0.0.1', SFU_RTC_PORT: '0',
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info', ...opts.env,
      },
    });
    children.add(child);
    if (process.env.NODE_LOGS) child.stdout?.on('data', (c: Buffer) => process.stdout.write(`[${opts.id}] ${c}`));
    await waitForLine(child, /tongtang listening/, `node ${opts.id}`);
    return new NodeProcess(opts.id, url, child);
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Dies at once, as a crashed machine would: no goodbye to Redis or to clients. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGKILL');
    await exited;
    children.delete(this.child);
  }

  async stop(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    children.delete(this.child);
  }

  async json<T>(pathname: string): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.url}${pathname}`, { signal: AbortSignal.timeout(5_000) });
    return { status: res.status, body: (await res.json()) as T };
  }
}

export async function stopAll(): Promise<void> {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  killStarted();
}

/** Polls until `check` returns a truthy value; throws with `what` after `timeoutMs`. */
export async function until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}
