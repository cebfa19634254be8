/** Brings the lecture up: the lecturer first, then classrooms and students on a paced ramp. */
import type { Role } from '@tongtang/shared';
import { BenchPeer, type PeerHooks } from './benchPeer.ts';
import type { BenchConfig } from './args.ts';
import { runPaced, waitFor } from './pace.ts';
import { PROTOCOL_VERSION } from '@tongtang/shared';
import { RequestError, SignalClient } from '@tongtang/protocol-client';

export type MintFn = (role: Role, subject: string, name: string, classroom?: { id: string; name: string }) => string;

export interface JoinStats {
  attempted: number;
  ok: number;
  failed: number;
  /** Failure count by error code (CONNECT:…, TIMEOUT, RATE_LIMITED, …). */
  failures: Record<string, number>;
  firstFailures: string[];
  connectMs: number[];
  joinMs: number[];
  readyMs: number[];
  /** Joins still consuming the lecture's program when the ramp ended, and how long settling took. */
  settleMs: number;
}

export interface Population {
  lecturer: BenchPeer;
  classrooms: BenchPeer[];
  students: BenchPeer[];
  all: BenchPeer[];
  joins: JoinStats;
}

const JOIN_TIMEOUT_MS = 30_000;
const BENCH_CLIENT = { connectTimeoutMs: JOIN_TIMEOUT_MS, requestTimeoutMs: 30_000 };

interface Spec {
  role: Role;
  subject: string;
  name: string;
  classroom?: { id: string; name: string };
}

export interface PopulateContext {
  url: string;
  mint: MintFn;
  hooks: PeerHooks;
  signal: AbortSignal;
  /** Every peer is added here as soon as it joins, so an abort mid-ramp can still close it. */
  registry: BenchPeer[];
  /** Filled in as joins happen, so an aborted ramp still reports what it got. */
  joins: JoinStats;
  log(message: string): void;
}

export function emptyJoinStats(): JoinStats {
  return { attempted: 0, ok: 0, failed: 0, failures: {}, firstFailures: [], connectMs: [], joinMs: [], readyMs: [], settleMs: 0 };
}

export async function populate(cfg: BenchConfig, ctx: PopulateContext): Promise<Population> {
  const { url, mint, hooks, signal, joins } = ctx;
  const joinOne = async (spec: Spec): Promise<BenchPeer> => {
    joins.attempted++;
    try {
      const { peer, timings } = await BenchPeer.join(url, mint(spec.role, spec.subject, spec.name, spec.classroom), hooks, JOIN_TIMEOUT_MS);
      joins.ok++;
      ctx.registry.push(peer);
      if (joins.ok % 100 === 0) ctx.log(`${joins.ok} joined (${joins.failed} failed)`);
      joins.connectMs.push(timings.connectMs);
      joins.joinMs.push(timings.joinMs);
      joins.readyMs.push(timings.readyMs);
      return peer;
    } catch (err) {
      joins.failed++;
      const code = err instanceof RequestError ? (err.request === 'connect' ? `CONNECT:${err.message}` : err.code) : (err as Error).name;
      joins.failures[code] = (joins.failures[code] ?? 0) + 1;
      if (joins.firstFailures.length < 10) joins.firstFailures.push(`${spec.subject}: ${(err as Error).message}`);
      throw err;
    }
  };

  // The lecturer goes first and live, so everyone after joins a running lecture and receives its
  // program in the join snapshot — the path a late student takes.
  const lecturer = await joinOne({ role: 'lecturer', subject: 'lecturer', name: 'Lecturer' });
  if (cfg.programMedia) {
    await lecturer.publish('camera');
    await lecturer.publish('microphone');
  }
  await lecturer.client.request('lecture:start', {});

  const specs: Spec[] = [];
  for (let i = 0; i < cfg.classrooms; i++) {
    const id = `room-${i + 1}`;
    specs.push({ role: 'classroom', subject: `classroom-${i + 1}`, name: `Classroom ${i + 1}`, classroom: { id, name: `Classroom ${i + 1}` } });
  }
  for (let i = 0; i < cfg.students; i++) specs.push({ role: 'student', subject: `student-${i + 1}`, name: `Student ${i + 1}` });

  const classrooms: BenchPeer[] = [];
  const students: BenchPeer[] = [];
  await runPaced(specs, { perSecond: cfg.joinRate, concurrency: cfg.joinConcurrency, signal }, async (spec) => {
    const peer = await joinOne(spec);
    if (spec.role === 'classroom') {
      classrooms.push(peer);
      // The room camera is the lecturer's wall; it reaches the lecturer only.
      if (cfg.programMedia) await peer.publish('camera').catch((err: Error) => peer.errors.push(`publish camera: ${err.message}`));
    } else {
      students.push(peer);
    }
  });
  const all = [lecturer, ...classrooms, ...students];
  // Let every consume started by the ramp (late producer:added included) finish before measuring.
  const t0 = performance.now();
  await waitFor(() => all.every((p) => p.pendingConsumes === 0), 30_000, 50);
  joins.settleMs = performance.now() - t0;
  return { lecturer, classrooms, students, all, joins };
}

/**
 * A signaling-only staff observer joined after everyone else: it receives the full hand queue
 * and sits last in the server's per-session fan-out. It takes no media, so it adds no consumes.
 */
export async function joinTailObserver(url: string, mint: MintFn): Promise<SignalClient> {
  const client = await SignalClient.connect(url, mint('observer', 'tail-observer', 'Tail observer'), BENCH_CLIENT);
  try {
    await client.request('lecture:join', { protocolVersion: PROTOCOL_VERSION }, JOIN_TIMEOUT_MS);
    return client;
  } catch (err) {
    client.close();
    throw err;
  }
}
