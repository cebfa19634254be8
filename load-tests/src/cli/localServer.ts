/**
 * `--local`: a Tongtang node as a child process on 127.0.0.1 with a free port and a throwaway
 * secret (or, for `--local-nodes`, one node of a local cluster). A separate process so server and client never share an event loop; always stopped at
 * the end (SIGTERM, then SIGKILL).
 */
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../cluster/processes.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface LocalServer {
  url: string;
  secret: string;
  pid: number;
  stop(): Promise<void>;
}

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

/** How a node joins a local cluster (see ../cluster/localCluster.ts). */
export interface ClusterMember {
  redisUrl: string;
  nodeId: string;
  /** Redis key prefix, unique per run so runs never see each other's state. */
  prefix: string;
}

export interface LocalServerOptions {
  sfuWorkers: number;
  logFile: string;
  timeoutMs?: number;
  /** Shared by every node of a cluster; a fresh one otherwise. */
  secret?: string;
  cluster?: ClusterMember;
  /** Further settings (e.g. REQUESTS_PER_SECOND for a benchmark). */
  env?: Record<string, string>;
}

export async function startLocalServer(opts: LocalServerOptions): Promise<LocalServer> {
  const secret = opts.secret ?? crypto.randomBytes(24).toString('hex');
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  // Cluster nodes must know their own address up front (PUBLIC_URL, for the other nodes), so they
  // get a port picked here; a lone server picks its own (no race).
  const port = opts.cluster ? await freePort() : 0;
  const cluster = opts.cluster ? {
    PUBLIC_URL: `http://127.0.0.1:${port}`, REDIS_URL: opts.cluster.redisUrl, NODE_ID: opts.cluster.nodeId, REDIS_PREFIX: opts.cluster.prefix,
  } : {};
  const log = fs.openSync(opts.logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', 'signaling/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      MEDIASOUP_WORKER_BIN: workerBin(),
      HOST: '127.0.0.1',
      PORT: String(port), // 0: the server logs the port it got
      JWT_SECRET: secret,
      SFU_WORKERS: String(opts.sfuWorkers),
      SFU_LISTEN_IP: '127.0.0.1',
      SFU_RTC_PORT: '0',
      LOG_LEVEL: 'info',
      // Hundreds of peers join from one address; the per-socket limit is what matters, keep it stock.
      // Receivers get the layers the load test asks for (a deployment caps students at the middle one).
      TIER_DEFAULTS: 'student=high,assistant=high,observer=high',
      ...cluster,
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', log],
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGTERM'); // main.ts closes its workers on SIGTERM
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    }
    fs.closeSync(log);
  };

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the local server did not start within ${opts.timeoutMs ?? 30_000} ms; see ${opts.logFile}`)), opts.timeoutMs ?? 30_000);
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      fs.appendFileSync(opts.logFile, chunk);
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const url = listeningUrl(line);
        if (url) {
          clearTimeout(timer);
          resolve(url);
        }
      }
    });
    void exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`the local server exited during start-up; see ${opts.logFile}`));
    });
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  return { url, secret, pid: child.pid!, stop };
}

/** The url in the server's "tongtang listening" log line, if this is that line. */
export function listeningUrl(line: string): string | undefined {
  if (!line.includes('tongtang listening')) return undefined;
  try {
    const parsed = JSON.parse(line) as { msg?: string; url?: string };
    return parsed.msg === 'tongtang listening' ? parsed.url : undefined;
  } catch {
    return undefined;
  }
}
