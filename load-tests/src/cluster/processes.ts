/**
 * Throwaway processes on loopback for multi-node runs: a free port, a private redis-server, and a
 * wait for a child's "ready" line. Shared by the load test, the fan-out benchmark and the cluster
 * tests (tests/helpers/cluster.ts), so all of them start Redis the same way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/** Every child started here and not stopped yet, so a failed run can still kill them all. */
const started = new Set<ChildProcess>();

/** A free TCP port on loopback: bind port 0, read it, close. A small race, fine for tests and benchmarks. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves with the first stdout line matching `pattern`; rejects on exit or after `timeoutMs`. */
export function waitForLine(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs} ms:\n${seen.slice(-2000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const line = seen.split('\n').find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(line);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (seen += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before starting:\n${seen.slice(-2000)}`));
    });
    child.once('error', (err) => { // e.g. redis-server not installed
      clearTimeout(timer);
      reject(new Error(`${what} could not be started: ${err.message}`));
    });
  });
}

/** A redis-server of our own (no persistence), so stopping it disturbs nobody else's Redis. */
export class RedisProcess {
  private child?: ChildProcess;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    started.add(child);
    this.child = child;
    await waitForLine(child, /Ready to accept connections/, `redis on ${this.port}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    started.delete(child);
  }
}

/** Last resort after a failure: SIGKILL whatever this module started and nobody stopped. */
export function killStarted(): void {
  for (const child of started) child.kill('SIGKILL');
  started.clear();
}
