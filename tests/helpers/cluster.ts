/**
 * Real Tongtang node processes on loopback, and a Redis of the test's own (so stopping it does
 * not disturb other suites). Everything started here is stopped by `stopAll`.
 */
import { freePort, killStarted, RedisProcess, startNode, type StartedNode } from '@tongtang/load-tests';

// Redis and the port helper live with the load-test tool, which starts clusters too.
export { freePort, RedisProcess };

const nodes = new Set<StartedNode>();

export interface NodeOptions {
  id: string;
  redisUrl: string;
  secret: string;
  prefix: string;
  env?: NodeJS.ProcessEnv;
}

export class NodeProcess {
  private constructor(readonly id: string, private readonly node: StartedNode) {}

  get url(): string {
    return this.node.url;
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
    return this.node.lines().filter((l) => level(l) >= minLevel).slice(-n).map((l) => `[${this.id}] ${l}`).join('\n');
  }

  static async start(opts: NodeOptions): Promise<NodeProcess> {
    const node = await startNode({
      name: `node ${opts.id}`,
      publicUrl: true,
      env: {
        NODE_ID: opts.id, JWT_SECRET: opts.secret, REDIS_URL: opts.redisUrl, REDIS_PREFIX: opts.prefix,
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info', ...opts.env,
      },
      ...(process.env.NODE_LOGS ? { onLine: (line: string) => process.stdout.write(`[${opts.id}] ${line}\n`) } : {}),
    });
    nodes.add(node);
    return new NodeProcess(opts.id, node);
  }

  get alive(): boolean {
    return this.node.alive;
  }

  /** Dies at once, as a crashed machine would: no goodbye to Redis or to clients. */
  async kill(): Promise<void> {
    await this.node.kill();
    nodes.delete(this.node);
  }

  async stop(): Promise<void> {
    await this.node.stop();
    nodes.delete(this.node);
  }

  async json<T>(pathname: string): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.url}${pathname}`, { signal: AbortSignal.timeout(5_000) });
    return { status: res.status, body: (await res.json()) as T };
  }
}

export async function stopAll(): Promise<void> {
  await Promise.all([...nodes].map((n) => n.kill()));
  nodes.clear();
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
