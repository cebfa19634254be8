/**
 * `--local-nodes N`: a throwaway redis-server on a free loopback port and N Tongtang nodes sharing
 * it (REDIS_URL, NODE_ID, PUBLIC_URL, one JWT_SECRET), each a child process. Whatever got started
 * is stopped again by `stop()`, and also when starting fails half-way.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { startLocalServer, type LocalServer } from '../cli/localServer.ts';
import { freePort, RedisProcess } from './processes.ts';

export interface LocalCluster {
  secret: string;
  redis: RedisProcess;
  /** In start order: node 0 is where the load test puts the lecturer. */
  nodes: LocalServer[];
  stop(): Promise<void>;
}

export interface LocalClusterOptions {
  nodes: number;
  sfuWorkers: number;
  /** Each node logs to <logDir>/node-<i>.log. */
  logDir: string;
  env?: Record<string, string>;
}

export async function startLocalCluster(opts: LocalClusterOptions): Promise<LocalCluster> {
  const secret = crypto.randomBytes(24).toString('hex');
  const redis = new RedisProcess(await freePort());
  const nodes: LocalServer[] = [];
  const stop = async (): Promise<void> => {
    // Nodes first, so none of them spends its shutdown reconnecting to a Redis that is gone.
    await Promise.allSettled(nodes.map((n) => n.stop()));
    await redis.stop();
  };
  try {
    await redis.start();
    const prefix = `tt-load-${process.pid}-${Date.now()}:`;
    // One at a time: two nodes booting mediasoup workers at once on two cores only slows both.
    for (let i = 0; i < opts.nodes; i++) {
      nodes.push(await startLocalServer({
        sfuWorkers: opts.sfuWorkers, secret, logFile: path.join(opts.logDir, `node-${i}.log`),
        cluster: { redisUrl: redis.url, nodeId: `load-node-${i}`, prefix },
        ...(opts.env ? { env: opts.env } : {}),
      }));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { secret, redis, nodes, stop };
}
