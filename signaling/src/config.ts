/** Signaling configuration, read once from the environment (and the command line for --demo). */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tlsFromEnv, trustProxyFromEnv, type TlsConfig } from './http/web.ts';
import { turnFromEnv, type TurnConfig } from './turn/credentials.ts';
import { ROLES, TIERS, type Role, type Tier } from '@tongtang/shared';

export interface SignalingConfig {
  host: string;
  port: number;
  /** HS256 secret that join tokens are signed with. */
  jwtSecret: string;
  /** Demo mode: the start page mints tokens for a demo lecture. Never on in production. */
  demo: boolean;
  demoLectureId: string;
  demoLectureTitle: string;
  /** Simultaneous speakers on the floor. */
  maxSpeakers: number;
  /** Each role's quality ceiling (TIER_DEFAULTS): projector rooms the top layer, students lower. */
  tierDefaults: Record<Role, Tier>;
  /** Built web client to serve at `/`; skipped when the folder does not exist. */
  webDist: string;
  /** Requests one socket may make per second (burst twice that) before RATE_LIMITED. */
  requestsPerSecond: number;
  logLevel: string;
  /** Set to run as one node of several (shared state, broadcasts and media cascade over Redis). */
  redisUrl: string | undefined;
  /** Prefix of every Redis key (and the adapter's stream), so deployments can share a Redis. */
  redisPrefix: string;
  /** This node's name in the cluster. */
  nodeId: string;
  /** How clients and other nodes reach this node (PUBLIC_URL); derived from host and port when unset. */
  publicUrl: string | undefined;
  /** When set, `GET /metrics` needs `Authorization: Bearer <token>` (METRICS_TOKEN). */
  metricsToken: string | undefined;
  /** TLS_CERT, TLS_KEY, HTTPS_PORT: serve HTTPS (and redirect HTTP) here; unset = plain HTTP. */
  tls?: TlsConfig;
  /** TRUST_PROXY: express 'trust proxy', so a reverse proxy's X-Forwarded-For is the client address. */
  trustProxy?: boolean | number | string;
  /** TURN_SECRET and friends: hand each participant a TURN credential in the join answer. */
  turn?: TurnConfig;
  /** Where lectures are recorded (RECORDINGS_DIR). */
  recordingsDir: string;
  /** Start recording when a lecture goes live (RECORD_AUTOMATICALLY=1). */
  recordAutomatically: boolean;
  /**
   * LEAVE_GRACE_MS: how long a participant whose connection dropped (not one who left) keeps its
   * place (roster, hand, floor) for its page to come back; 0 lets it go at once.
   */
  leaveGraceMs: number;
  /**
   * IMMEDIATE_PLAYOUT_ROLES (e.g. "classroom"): roles whose pages render video as soon as it is
   * decoded, without playout smoothing (lower latency, visible judder on an uneven link). Default:
   * none (docs/benchmarks.md, glass-to-glass latency).
   */
  immediatePlayoutRoles: ReadonlySet<Role>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** The secret `npm start` (demo mode) signs with when JWT_SECRET is unset; `npm run token -- --demo` uses it too. */
export const DEV_SECRET = 'tongtang-dev-secret-change-me';
export const DEFAULT_DEMO_LECTURE_ID = 'demo-chem-101';

export function configFromEnv(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv): SignalingConfig {
  const demo = argv.includes('--demo') || env.TONGTANG_DEMO === '1';
  const jwtSecret = env.JWT_SECRET ?? (demo ? DEV_SECRET : '');
  if (!jwtSecret) throw new Error('JWT_SECRET is required outside demo mode');
  return {
    host: env.HOST ?? '0.0.0.0',
    port: intFrom(env.PORT, 3000),
    jwtSecret,
    demo,
    demoLectureId: env.DEMO_LECTURE_ID ?? DEFAULT_DEMO_LECTURE_ID,
    demoLectureTitle: env.DEMO_LECTURE_TITLE ?? 'Inorganic Chemistry 101 — live demo',
    maxSpeakers: intFrom(env.MAX_SPEAKERS, 2),
    tierDefaults: tierDefaultsFrom(env.TIER_DEFAULTS),
    webDist: env.WEB_DIST ?? path.resolve(here, '../../web-client/dist'),
    requestsPerSecond: intFrom(env.REQUESTS_PER_SECOND, 50),
    logLevel: env.LOG_LEVEL ?? 'info',
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: env.REDIS_PREFIX ?? 'tt:',
    nodeId: env.NODE_ID ?? `${os.hostname()}-${process.pid}`,
    publicUrl: env.PUBLIC_URL || undefined,
    metricsToken: env.METRICS_TOKEN || undefined,
    tls: tlsFromEnv(env),
    trustProxy: trustProxyFromEnv(env),
    turn: turnFromEnv(env),
    recordingsDir: path.resolve(env.RECORDINGS_DIR || 'recordings'),
    recordAutomatically: env.RECORD_AUTOMATICALLY === '1',
    leaveGraceMs: intFrom(env.LEAVE_GRACE_MS, 45_000),
    immediatePlayoutRoles: rolesFrom('IMMEDIATE_PLAYOUT_ROLES', env.IMMEDIATE_PLAYOUT_ROLES),
  };
}

/** A comma-separated list of roles ("classroom,lecturer"); empty: none. */
export function rolesFrom(name: string, value: string | undefined): ReadonlySet<Role> {
  const roles = (value ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  for (const role of roles) {
    if (!(ROLES as readonly string[]).includes(role)) throw new Error(`${name}: "${role}" is not a role (${ROLES.join(', ')})`);
  }
  return new Set(roles as Role[]);
}

export const DEFAULT_TIERS: Record<Role, Tier> = { lecturer: 'high', classroom: 'high', assistant: 'medium', student: 'medium', observer: 'low' };

/** `TIER_DEFAULTS="student=low,assistant=low"`: roles not named keep DEFAULT_TIERS. */
export function tierDefaultsFrom(value: string | undefined): Record<Role, Tier> {
  const out = { ...DEFAULT_TIERS };
  for (const part of (value ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
    const [role, tier] = part.split('=').map((x) => x.trim());
    if (!(ROLES as readonly string[]).includes(role ?? '') || !(TIERS as readonly string[]).includes(tier ?? '')) {
      throw new Error(`TIER_DEFAULTS: expected role=tier pairs (roles ${ROLES.join(', ')}; tiers ${TIERS.join(', ')}), got "${part}"`);
    }
    out[role as Role] = tier as Tier;
  }
  return out;
}

function intFrom(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`expected a whole number, got "${value}"`);
  return n;
}
