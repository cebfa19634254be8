/** Who joins, when, with which token, in which client process. */
import { mintToken } from '@tongtang/signaling/tokens';
import { profileForReceiver } from '../net/profiles.ts';
import type { LoadTestOptions } from './options.ts';
import type { PeerPlan } from './workerProtocol.ts';

export interface RunPlan {
  /** Process 0: the lecturer alone, so publishing never competes with receivers for CPU. */
  publisher: PeerPlan[];
  /** Receiving processes, each with at most peersPerProcess peers. */
  receivers: PeerPlan[][];
  /** Seconds from the first to the last join start. */
  rampS: number;
}

type PlanOptions = Pick<LoadTestOptions, 'classrooms' | 'students' | 'rampPerS' | 'speakers' | 'lectureId' | 'peersPerProcess' | 'layers'> & Partial<Pick<LoadTestOptions, 'network'>>;

/** `nodes`: receivers go to them round-robin in join order; the lecturer to node 0. */
export function planRun(o: PlanOptions, secret: string, nodes = 1): RunPlan {
  // Tokens outlive any run, and carry stable subjects so a report names the same peer as the server logs.
  const token = (role: 'lecturer' | 'classroom' | 'student', i: number) => mintToken(secret, {
    lectureId: o.lectureId,
    role,
    name: role === 'lecturer' ? 'Load-test lecturer' : `Load ${role} ${i + 1}`,
    subject: `load-${role}-${i + 1}`,
    ...(role === 'classroom' ? { classroomId: `load-room-${i + 1}`, classroomName: `Load room ${i + 1}` } : {}),
    ttlSeconds: 24 * 3600,
  });
  const lecturer: PeerPlan = { index: 0, role: 'lecturer', token: token('lecturer', 0), startAfterS: 0, publishes: 'lecturer', node: 0 };

  const receivers: PeerPlan[] = [];
  // Classrooms first: in a real lecture the partner rooms are connected before students drift in.
  for (let i = 0; i < o.classrooms; i++) {
    receivers.push({ index: receivers.length + 1, role: 'classroom', token: token('classroom', i), startAfterS: 0, publishes: 'classroom', node: 0, preferredLayer: 2 });
  }
  for (let i = 0; i < o.students; i++) {
    const layer = o.layers === 'auto' ? undefined : o.layers === 'mix' ? i % 3 : o.layers;
    receivers.push({
      index: receivers.length + 1, role: 'student', token: token('student', i), startAfterS: 0, publishes: null, node: 0,
      ...(layer !== undefined ? { preferredLayer: layer } : {}),
      // Spread the speakers over the ramp so they sit in different processes.
      ...(isSpeaker(i, o.students, o.speakers) ? { speaker: true } : {}),
    });
  }
  receivers.forEach((p, i) => {
    p.startAfterS = i / o.rampPerS;
    // Classrooms and students alike split evenly, and each node sees the same join pace.
    p.node = i % nodes;
    // Weak links go to the last receivers (students) first: the partner classrooms joined first.
    const profile = profileForReceiver(o.network ?? [], receivers.length - 1 - i, receivers.length);
    if (profile) p.network = profile.name;
  });

  // Round-robin, so every process joins at the same pace and ends up equally loaded.
  const processes = Math.max(1, Math.ceil(receivers.length / o.peersPerProcess));
  const groups: PeerPlan[][] = Array.from({ length: processes }, () => []);
  receivers.forEach((p, i) => groups[i % processes]!.push(p));
  return { publisher: [lecturer], receivers: groups, rampS: receivers.length > 0 ? (receivers.length - 1) / o.rampPerS : 0 };
}

/** Students ⌊k·students/speakers⌋ for k < speakers: spread across the population (and so the ramp). */
export function isSpeaker(i: number, students: number, speakers: number): boolean {
  if (speakers <= 0) return false;
  const k = Math.ceil((i * speakers) / students); // the only k whose position could be i
  return k < speakers && Math.floor((k * students) / speakers) === i;
}
