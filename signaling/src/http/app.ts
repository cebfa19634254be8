/** The HTTP side: health, readiness, metrics, node placement, demo links and the built web client. */
import fs from 'node:fs';
import path from 'node:path';
import express, { type Express, type Router } from 'express';
import type { MediaNode, Role } from '@tongtang/shared';
import { mintToken } from '../auth/tokens.ts';
import type { NodeInfo } from '../backplane/Backplane.ts';
import type { SignalingConfig } from '../config.ts';
import { metricsRouter, type MetricsSources } from './metrics.ts';
import { probeRouter } from './probe.ts';
import { recordingsRouter } from './recordings.ts';
import { whipRouter } from './whip.ts';
import type { LectureRoom } from '../lecture/room/LectureRoom.ts';
import { securityHeaders } from './security.ts';

export interface DemoLink {
  role: Role;
  name: string;
  url: string;
}

/** Join links for the demo lecture: a lecturer, two partner classrooms, their assistant, a student, an observer. */
export function demoLinks(config: SignalingConfig, baseUrl: string): DemoLink[] {
  const lectureId = config.demoLectureId;
  const mint = (role: Role, name: string, subject: string, classroomId?: string, classroomName?: string): DemoLink => ({
    role,
    name,
    url: `${baseUrl}/?token=${mintToken(config.jwtSecret, { lectureId, role, name, subject, classroomId, classroomName })}`,
  });
  const student = Math.random().toString(36).slice(2, 8);
  return [
    mint('lecturer', 'Prof. Wang (Shanghai)', 'lecturer-wang'),
    mint('classroom', 'Kashgar Room 101', 'classroom-kashgar', 'kashgar-101', 'Kashgar Room 101'),
    mint('classroom', 'Lhasa Room 3', 'classroom-lhasa', 'lhasa-3', 'Lhasa Room 3'),
    mint('assistant', 'Ms. Aygul (Kashgar assistant)', 'assistant-kashgar', 'kashgar-101', 'Kashgar Room 101'),
    mint('student', `Student ${student}`, `student-${student}`),
    mint('observer', 'Campus IT', 'observer-it'),
  ];
}

export interface AppHooks {
  /** Ready to take joins: media workers up and, in a cluster, Redis reachable. */
  ready(): boolean;
  /** Live nodes with their load (just this one when alone). */
  nodes(): Promise<NodeInfo[]>;
  /** Routes other nodes call on this one (the cascade's), in a cluster. */
  internalRoutes?: Router;
  /** Pages may be sent to other nodes (failover, placement). */
  spansNodes: boolean;
  /** What the open lectures hold, for `/metrics`. */
  metrics: MetricsSources;
  /** A lecture open on this node (WHIP publishes go to its classroom sources). */
  room(lectureId: string): LectureRoom | undefined;
}

export function createApp(config: SignalingConfig, media: MediaNode, hooks: AppHooks): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders({ cluster: hooks.spansNodes }));
  // Behind nginx/Caddy, req.ip (the probe's rate limit) and req.protocol come from X-Forwarded-*.
  app.set('trust proxy', config.trustProxy ?? false);
  if (hooks.internalRoutes) app.use(hooks.internalRoutes);
  app.use(metricsRouter(media, hooks.metrics, config.metricsToken ? { token: config.metricsToken } : {}));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    const ready = hooks.ready();
    res.status(ready ? 200 : 503).json({ ready, workers: media.health().workers });
  });
  // A page whose node died asks the others where to reconnect: these two answer any origin.
  app.use(['/api/nodes', '/api/join-node'], (_req, res, next) => {
    res.set('Access-Control-Allow-Origin', '*');
    next();
  });
  app.get('/api/nodes', (_req, res) => {
    hooks.nodes().then((nodes) => res.json({ nodes }), () => res.status(503).json({ error: { code: 'UNAVAILABLE', message: 'node list unavailable' } }));
  });
  // Where a new participant should connect: the least-loaded live node.
  app.get('/api/join-node', (_req, res) => {
    hooks.nodes().then((nodes) => {
      const best = [...nodes].sort((a, b) => a.load - b.load || a.id.localeCompare(b.id))[0];
      if (!best) res.status(503).json({ error: { code: 'UNAVAILABLE', message: 'no live node' } });
      else res.json({ nodeId: best.id, url: best.url || `${requestBase(_req)}` });
    }, () => res.status(503).json({ error: { code: 'UNAVAILABLE', message: 'node list unavailable' } }));
  });
  app.use(probeRouter(media));
  app.use(recordingsRouter(config.jwtSecret, config.recordingsDir));
  app.use(whipRouter(hooks.room));
  app.get('/api/config', (_req, res) => {
    // `turn`: the join page may say media will go through the relay when the direct path is blocked.
    res.json({ demo: config.demo, turn: Boolean(config.turn) });
  });
  app.get('/api/demo/links', (req, res) => {
    if (!config.demo) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'demo mode is off' } });
      return;
    }
    const base = `${req.protocol}://${req.get('host') ?? `localhost:${config.port}`}`;
    res.json({ lectureId: config.demoLectureId, title: config.demoLectureTitle, links: demoLinks(config, base) });
  });
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: 'no such endpoint' } });
  });

  // An absolute root, and index.html named relative to it: `send` refuses a path with a
  // dot-segment (an install under ~/.local/...) unless the dot is inside the root.
  const webRoot = path.resolve(config.webDist);
  if (fs.existsSync(path.join(webRoot, 'index.html'))) {
    app.use(express.static(webRoot, { index: false, maxAge: '1h' }));
    // Client-side routes all load the same page; it may carry a join token, so never cache it.
    app.get(/^\/(?!socket\.io\/).*/, (_req, res) => {
      res.set('Cache-Control', 'no-store');
      res.sendFile('index.html', { root: webRoot });
    });
  } else {
    app.get('/', (_req, res) => {
      res.status(503).type('text').send('The web client is not built: run `npm run build:web`.');
    });
  }
  // Last: whatever went wrong answers JSON with a code, never express's page with a stack trace
  // and the server's paths.
  app.use(((err, _req, res, _next) => {
    const status = typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : 500;
    const code = status === 404 ? 'NOT_FOUND' : status === 413 ? 'PAYLOAD_TOO_LARGE' : status < 500 ? 'BAD_REQUEST' : 'INTERNAL';
    if (res.headersSent) return;
    res.status(status).json({ error: { code, message: status < 500 ? 'the request could not be served' : 'the server could not complete the request' } });
  }) as express.ErrorRequestHandler);
  return app;
}

function requestBase(req: express.Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}
