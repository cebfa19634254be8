/**
 * A load-test client process (forked by run.ts): joins its share of peers on the ramp, counts
 * what they receive, and reports to the parent every second, its own CPU included.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadClips, publishSpecs, type ClipSet } from '../rtp/clips.ts';
import { profileNamed } from '../net/profiles.ts';
import { RtpPeer } from '../rtp/RtpPeer.ts';
import { epochNow } from '../rtp/streamSender.ts';
import { LogHistogram } from '../report/histogram.ts';
import { Interactions } from './interactions.ts';
import type { ParentMessage, PeerPlan, PeerSummary, WorkerInit, WorkerMessage } from './workerProtocol.ts';
import { TickMeter } from './tickMeter.ts';

const JOIN_TIMEOUT_MS = 30_000;

interface Slot {
  plan: PeerPlan;
  peer?: RtpPeer;
  startedAt?: number;
  error?: string;
  errors: string[];
}

let init: WorkerInit | undefined;
let clips: ClipSet | undefined;
const slots = new Map<number, Slot>();
const timers: NodeJS.Timeout[] = [];
const rttTotal = new Map<string, LogHistogram>();
const meter = new TickMeter(monitorEventLoopDelay({ resolution: 10 }));
let interactions: Interactions | undefined;
/** The poll open right now, as this process's students last heard. */
let openPollId: string | undefined;
let stopping = false;

function send(msg: WorkerMessage): void {
  process.send?.(msg);
}

const clipsFor = (): ClipSet => (clips ??= loadClips(init!.clipsDir));

async function join(slot: Slot): Promise<void> {
  const { plan } = slot;
  slot.startedAt = epochNow();
  try {
    const pending = RtpPeer.join({
      url: init!.urls[plan.node]!,
      token: plan.token,
      receive: true,
      ...(plan.preferredLayer !== undefined ? { preferredLayer: plan.preferredLayer } : {}),
      ...(plan.network ? { network: profileNamed(plan.network) } : {}),
      onRtt: (s) => {
        meter.rtt(s.ms, s.ok);
        let h = rttTotal.get(s.request);
        if (!h) rttTotal.set(s.request, (h = new LogHistogram()));
        h.add(s.ms);
      },
      onError: (m) => slot.errors.length < 20 && slot.errors.push(m),
    });
    // A join that completes after its timeout must not linger as an uncounted receiver.
    const peer = await withTimeout(pending, JOIN_TIMEOUT_MS, 'join', () => void pending.then((p) => p.close(), () => {}));
    if (stopping) return peer.close();
    slot.peer = peer;
    if (plan.role === 'student') {
      // A poll opened before this student joined comes with the join answer; later ones as updates.
      openPollId = peer.joined.polls.find((p) => p.state === 'open')?.id ?? openPollId;
      peer.client.on('poll:updated', (poll) => { openPollId = poll.state === 'open' ? poll.id : undefined; });
    }
    if (plan.publishes) for (const spec of publishSpecs[plan.publishes](clipsFor())) await peer.publish(spec);
    send({ type: 'joined', peerIndex: plan.index, participantId: peer.id, joinStartedAt: peer.joinStartedAt, joinedAt: peer.joinedAt });
  } catch (err) {
    slot.error = (err as Error).message;
    send({ type: 'joinFailed', peerIndex: plan.index, error: slot.error });
  }
}

/** The publisher process: the lecturer joins, publishes the program and starts the lecture before anyone else. */
async function startLecturer(slot: Slot): Promise<void> {
  await join(slot);
  const lecturer = slot.peer;
  if (!lecturer) throw new Error(`the lecturer could not join: ${slot.error}`);
  await lecturer.client.request('lecture:start', {}).catch((err: Error) => {
    // Re-running against a lecture that is already live is fine.
    if (!/INVALID_STATE|CONFLICT|already/i.test(err.message)) throw err;
  });
  // Raise-hand latency ends when the lecturer sees the entry: report each entry's first sight.
  const seen = new Set<string>();
  lecturer.client.on('hands:updated', (view) => {
    const at = epochNow();
    for (const e of view.entries) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      send({ type: 'handSeen', participantId: e.participantId, at });
    }
  });
  send({ type: 'ready' });
}

/** A student asked to speak: raise the hand, and publish the microphone once the floor is granted. */
async function raise(slot: Slot): Promise<void> {
  const peer = slot.peer;
  if (!peer) return;
  let speaking = false;
  peer.client.on('floor:updated', (floor) => {
    const onFloor = floor.speakers.some((s) => s.participantId === peer.id);
    if (onFloor && !speaking) {
      speaking = true;
      const [spec] = publishSpecs.speaker(clipsFor());
      peer.publish(spec!).then(
        (producer) => send({ type: 'spoke', participantId: peer.id, producerId: producer.id, at: epochNow() }),
        (err: Error) => slot.errors.push(`speak: ${err.message}`),
      );
    } else if (!onFloor && speaking) {
      speaking = false;
      peer.publisher?.unpublish('microphone'); // the server closed the producer already
    }
  });
  const sentAt = epochNow();
  const hands = await peer.client.request('hand:raise', {});
  const entry = hands.entries.find((e) => e.participantId === peer.id);
  if (!entry) throw new Error('raised a hand but the queue does not show it');
  send({ type: 'raised', peerIndex: slot.plan.index, participantId: peer.id, entryId: entry.id, sentAt, at: epochNow() });
}

let pollId: string | undefined;

/** The lecturer's quick poll: opened mid-run, answered by the churn, closed before the end. */
async function runPoll(action: 'open' | 'close'): Promise<void> {
  const host = lecturer();
  if (!host) return;
  if (action === 'open') {
    pollId = (await host.client.request('poll:open', { question: 'Which reaction is exothermic?', options: ['A', 'B', 'C', 'D'], multiple: false })).id;
    return;
  }
  if (!pollId) return;
  const closed = await host.client.request('poll:close', { pollId });
  pollId = undefined;
  send({ type: 'pollClosed', answers: closed.results.respondents, sites: Object.keys(closed.results.perSite).length });
}

function lecturer(): RtpPeer | undefined {
  return [...slots.values()].find((s) => s.plan.role === 'lecturer')?.peer;
}

function summaries(): PeerSummary[] {
  return [...slots.values()].map((s) => ({
    index: s.plan.index,
    role: s.plan.role,
    worker: init!.workerIndex,
    participantId: s.peer?.id ?? null,
    joinStartedAt: s.peer?.joinStartedAt ?? s.startedAt ?? null,
    joinedAt: s.peer?.joinedAt ?? null,
    error: s.error ?? (s.startedAt === undefined ? 'not started' : null),
    disconnected: s.peer?.disconnected ?? null,
    consumers: [...(s.peer?.meters.values() ?? [])].map((m) => m.summary()),
    gaps: s.peer?.gaps.summary(epochNow()) ?? [],
    mediaResets: s.peer?.mediaResets ?? 0,
    ...(s.plan.network ? { network: networkOf(s.plan.network, s.peer) } : {}),
    errors: s.errors,
  }));
}

function networkOf(profile: string, peer: RtpPeer | undefined): NonNullable<PeerSummary['network']> {
  const stats = peer?.networkStats();
  return { profile, upLost: stats?.up.lost ?? 0, downLost: stats?.down.lost ?? 0, downQueueDropped: stats?.down.queueDropped ?? 0 };
}

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const t of timers) clearTimeout(t);
  interactions?.stop();
  const peers = summaries();
  for (const s of slots.values()) s.peer?.close();
  const rtt = Object.fromEntries([...rttTotal].map(([k, h]) => [k, h.toJSON()]));
  process.send?.({ type: 'final', peers, delay: meter.totalDelay.toJSON(), rtt } satisfies WorkerMessage, () => process.exit(0));
}

async function onMessage(msg: ParentMessage): Promise<void> {
  switch (msg.type) {
    case 'init': {
      init = msg;
      for (const plan of msg.peers) slots.set(plan.index, { plan, errors: [] });
      timers.push(setInterval(() => send({ type: 'tick', tick: meter.tick(slots.values()) }), 1000));
      const lecturerSlot = msg.peers.find((p) => p.role === 'lecturer');
      if (lecturerSlot) await startLecturer(slots.get(lecturerSlot.index)!);
      return;
    }
    case 'start':
      for (const slot of slots.values()) {
        if (slot.plan.role === 'lecturer') continue;
        const delay = Math.max(0, msg.rampStartAt + slot.plan.startAfterS * 1000 - epochNow());
        timers.push(setTimeout(() => void join(slot), delay));
      }
      if (init!.interactionRate > 0) {
        interactions = new Interactions(
          init!.interactionRate,
          () => [...slots.values()].flatMap((s) => (s.plan.role === 'student' && !s.plan.speaker && s.peer ? [s.peer] : [])),
          () => openPollId,
        );
      }
      return;
    case 'raise':
      return raise(slots.get(msg.peerIndex)!);
    case 'grant': {
      const at = epochNow();
      await lecturer()?.client.request('floor:grant', { entryId: msg.entryId });
      send({ type: 'granted', participantId: msg.participantId, at });
      return;
    }
    case 'revoke':
      await lecturer()?.client.request('floor:revoke', { participantId: msg.participantId });
      return;
    case 'poll':
      return runPoll(msg.action);
    case 'stop':
      return stop();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string, onTimeout: () => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      onTimeout();
      reject(new Error(`${what} timed out after ${ms} ms`));
    }, ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e: unknown) => { clearTimeout(t); reject(e as Error); });
  });
}

process.on('message', (msg: ParentMessage) => {
  onMessage(msg).catch((err: Error) => send({ type: 'error', message: `${msg.type}: ${err.message}` }));
});
// An orphaned client must never keep loading the server.
process.on('disconnect', () => process.exit(1));
send({ type: 'booted' });
