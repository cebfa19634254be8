/**
 * Prometheus metrics for one Tongtang node: the SFU's workers and what the open lectures hold.
 *
 * Each call builds its own Registry (never prom-client's global one) so several servers can live
 * in one process, as they do in tests. Values are read when scraped rather than kept up to date on
 * every event: a scrape every few seconds costs one getResourceUsage per worker, while counting
 * on every consumer change would put work on the media path.
 */
import { timingSafeEqual } from 'node:crypto';
import express, { type Router } from 'express';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { MediaNode } from '@tongtang/shared';

export interface MetricsSources {
  /** Ids of the lectures open on this node. */
  lectureIds(): string[];
  /** Participants connected to a lecture; without it the participants gauge stays absent. */
  participants?(lectureId: string): number;
}

export interface MetricsOptions {
  /** When set, a scrape must send `Authorization: Bearer <token>` (the port is public). */
  token?: string;
  /** Name prefix; tests and embedders may change it. */
  prefix?: string;
}

export interface NodeMetrics {
  registry: Registry;
  /** Reads the node and refreshes every gauge; the router calls it on each scrape. */
  refresh(): Promise<void>;
}

/** Builds the registry and its gauges; `metricsRouter` serves it. */
export function createMetrics(media: MediaNode, sources: MetricsSources, options: MetricsOptions = {}): NodeMetrics {
  const p = options.prefix ?? 'tongtang_';
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const gauge = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
    new Gauge<L>({ name: p + name, help, labelNames, registers: [registry] });

  const ready = gauge('sfu_ready', '1 while every worker slot has a live worker');
  const workerUp = gauge('sfu_worker_up', 'Whether the worker in this slot is alive', ['worker', 'pid']);
  const workerRouters = gauge('sfu_worker_routers', 'Routers on the worker', ['worker', 'pid']);
  const workerConsumers = gauge('sfu_worker_consumers', 'Consumers on the worker', ['worker', 'pid']);
  // Cumulative seconds, so rate() gives cores in use; every live worker reports, idle or not,
  // from the watchdog's last sample (a scrape never waits on a worker, which may be hung).
  const workerHung = gauge('sfu_worker_hung', 'Whether the worker is alive but not answering', ['worker', 'pid']);
  const workerCpu = gauge('sfu_worker_cpu_seconds', 'CPU time the worker process has used', ['worker', 'pid', 'mode']);
  const workerRss = gauge('sfu_worker_max_rss_bytes', 'Peak resident memory of the worker process', ['worker', 'pid']);
  const lectures = gauge('lectures', 'Lectures open on this node');
  const participants = sources.participants ? gauge('participants', 'Participants connected, over all lectures') : undefined;
  const totals = {
    routers: gauge('sfu_routers', 'Routers over all lectures (origin plus fan-out routers)'),
    transports: gauge('sfu_transports', 'WebRTC transports over all lectures'),
    producers: gauge('sfu_producers', 'Producers over all lectures'),
    consumers: gauge('sfu_consumers', 'Consumers over all lectures'),
  };

  async function refresh(): Promise<void> {
    const health = media.health();
    // Reset labelled gauges: a respawned worker has a new pid and the old series must go.
    for (const g of [workerUp, workerHung, workerRouters, workerConsumers, workerCpu, workerRss]) g.reset();
    health.workers.forEach((w, i) => {
      const labels = { worker: String(i), pid: String(w.pid) };
      workerUp.set(labels, w.alive ? 1 : 0);
      workerHung.set(labels, w.hung ? 1 : 0);
      workerRouters.set(labels, w.routers);
      workerConsumers.set(labels, w.consumers);
      if (w.cpuUserMs !== null) workerCpu.set({ ...labels, mode: 'user' }, w.cpuUserMs / 1000);
      if (w.cpuSystemMs !== null) workerCpu.set({ ...labels, mode: 'system' }, w.cpuSystemMs / 1000);
      if (w.maxRssKb !== null) workerRss.set(labels, w.maxRssKb * 1024);
    });
    ready.set(health.ready ? 1 : 0);

    const ids = sources.lectureIds();
    lectures.set(ids.length);
    participants?.set(ids.reduce((n, id) => n + (sources.participants?.(id) ?? 0), 0));

    // One lecture failing to report (closing under us) must not fail the whole scrape.
    const stats = (await Promise.allSettled(ids.map((id) => media.lectureStats(id))))
      .flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    for (const key of ['routers', 'transports', 'producers', 'consumers'] as const) {
      totals[key].set(stats.reduce((n, s) => n + s[key], 0));
    }
  }

  return { registry, refresh };
}

/** An express Router serving `GET /metrics` in the Prometheus text format. */
export function metricsRouter(media: MediaNode, sources: MetricsSources, options: MetricsOptions = {}): Router {
  const { registry, refresh } = createMetrics(media, sources, options);
  const router = express.Router();
  router.get('/metrics', async (req, res) => {
    if (options.token !== undefined && !bearerMatches(req.get('authorization'), options.token)) {
      res.status(401).set('WWW-Authenticate', 'Bearer').type('text').send('metrics need a bearer token\n');
      return;
    }
    try {
      await refresh();
      res.type(registry.contentType).send(await registry.metrics());
    } catch (err) {
      res.status(500).type('text').send(`metrics failed: ${(err as Error).message}\n`);
    }
  });
  return router;
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
