/**
 * `--local`: a Tongtang node for the load test (see ../node/startNode.ts) with a throwaway secret
 * (or, for `--local-nodes`, one node of a local cluster), logging to a file of the run.
 */
import crypto from 'node:crypto';
import { startNode } from '../node/startNode.ts';

export interface LocalServer {
  url: string;
  secret: string;
  pid: number;
  stop(): Promise<void>;
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
  const cluster = opts.cluster ? { REDIS_URL: opts.cluster.redisUrl, NODE_ID: opts.cluster.nodeId, REDIS_PREFIX: opts.cluster.prefix } : {};
  const node = await startNode({
    name: opts.cluster ? `local node ${opts.cluster.nodeId}` : 'the local server',
    logFile: opts.logFile,
    // Cluster nodes tell the others where they are.
    publicUrl: Boolean(opts.cluster),
    ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
    env: {
      JWT_SECRET: secret,
      SFU_WORKERS: String(opts.sfuWorkers),
      LOG_LEVEL: 'info',
      // Hundreds of peers join from one address; the per-socket limit is what matters, keep it stock.
      // Receivers get the layers the load test asks for (a deployment caps students at the middle one).
      TIER_DEFAULTS: 'student=high,assistant=high,observer=high',
      ...cluster,
      ...opts.env,
    },
  });
  return { url: node.url, secret, pid: node.pid, stop: node.stop };
}
