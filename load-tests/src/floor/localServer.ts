/**
 * The floor and flood benchmarks' node (see ../node/startNode.ts): another checkout's server if
 * asked, a request limit of the benchmark's choosing, and the lines it logged at warn or above.
 */
import crypto from 'node:crypto';
import { startNode } from '../node/startNode.ts';

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
  const secret = crypto.randomBytes(24).toString('hex');
  const warnings: string[] = [];
  const node = await startNode({
    name: 'the server',
    cwd: opts.serverDir,
    logFile: opts.logFile,
    env: { JWT_SECRET: secret, SFU_WORKERS: String(opts.workers), LOG_LEVEL: 'warn', REQUESTS_PER_SECOND: String(opts.requestsPerSecond) },
    onLine: (line) => { if (isWarning(line) && warnings.length < 1000) warnings.push(line); },
  });
  return { url: node.url, secret, pid: node.pid, logFile: opts.logFile, warnings: () => [...warnings], stop: node.stop };
}

function isWarning(line: string): boolean {
  if (!line.startsWith('{')) return line.trim().length > 0; // stray stderr (stack traces) counts too
  try {
    return ((JSON.parse(line) as { level?: number }).level ?? 0) >= 40;
  } catch {
    return true;
  }
}
