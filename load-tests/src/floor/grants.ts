/**
 * Grant → relay latency: the lecturer grants a student the floor; the student, on seeing itself
 * in `floor:updated`, publishes its microphone; every other participant gets `producer:added`,
 * consumes and resumes. Measured per receiver from the lecturer's grant emit to that receiver's
 * `media:resumeConsumer` acknowledgement — the point where its audio would start to play.
 */
import type { ProducerInfo } from '@tongtang/shared';
import type { BenchPeer, PeerHooks } from './benchPeer.ts';
import { sleep, waitFor } from './pace.ts';

export interface RoundResult {
  round: number;
  speakerId: string;
  receivers: number;
  reached: number;
  grantAckMs: number | null;
  /** Grant emit → the speaker saw itself on the floor / its produce was acknowledged. */
  floorSeenMs: number | null;
  producedMs: number | null;
  /** Grant emit → producer:added at each receiver, and → resumeConsumer acknowledged (the measure). */
  addedMs: number[];
  relayMs: number[];
  /** Revoke emit → the last receiver closed its consumer; null when some never did. */
  revokeDropMs: number | null;
  notDropped: number;
  errors: string[];
}

interface Round {
  speakerId: string;
  t0: number;
  producerId?: string;
  revokeT0?: number;
  added: Map<string, number>;
  resumed: Map<string, number>;
  dropped: Map<string, number>;
}

/** Routes every peer's media events to the round in progress; one instance serves all peers. */
export class RelayTracker implements PeerHooks {
  private round?: Round;

  begin(round: Round): void {
    this.round = round;
  }

  end(): void {
    this.round = undefined;
  }

  producerAdded(peer: BenchPeer, info: ProducerInfo, at: number): void {
    if (this.matches(peer, info)) this.round!.added.set(peer.id, at - this.round!.t0);
  }

  consumerResumed(peer: BenchPeer, info: ProducerInfo, at: number): void {
    if (this.matches(peer, info)) this.round!.resumed.set(peer.id, at - this.round!.t0);
  }

  consumerDropped(peer: BenchPeer, producerId: string, at: number): void {
    const r = this.round;
    if (r?.revokeT0 !== undefined && producerId === r.producerId) r.dropped.set(peer.id, at - r.revokeT0);
  }

  private matches(peer: BenchPeer, info: ProducerInfo): boolean {
    const r = this.round;
    return r !== undefined && peer.id !== r.speakerId && info.participantId === r.speakerId && info.source === 'microphone';
  }
}

export interface GrantOptions {
  rounds: number;
  roundTimeoutMs: number;
  /** Quiet time between rounds, so one round's tail does not overlap the next round's start. */
  pauseMs: number;
  signal: AbortSignal;
}

export async function measureGrantRelay(
  lecturer: BenchPeer, everyone: readonly BenchPeer[], speakers: readonly BenchPeer[], tracker: RelayTracker, opts: GrantOptions,
): Promise<RoundResult[]> {
  const results: RoundResult[] = [];
  for (let i = 0; i < opts.rounds && !opts.signal.aborted; i++) {
    const speaker = speakers[i % speakers.length];
    if (!speaker) break;
    results.push(await oneRound(i + 1, lecturer, everyone, speaker, tracker, opts));
    await sleep(opts.pauseMs);
  }
  return results;
}

async function oneRound(
  n: number, lecturer: BenchPeer, everyone: readonly BenchPeer[], speaker: BenchPeer, tracker: RelayTracker, opts: GrantOptions,
): Promise<RoundResult> {
  const receivers = everyone.filter((p) => p !== speaker && p.connected);
  const r: Round = { speakerId: speaker.id, t0: 0, added: new Map(), resumed: new Map(), dropped: new Map() };
  const result: RoundResult = {
    round: n, speakerId: speaker.id, receivers: receivers.length, reached: 0, grantAckMs: null, floorSeenMs: null,
    producedMs: null, addedMs: [], relayMs: [], revokeDropMs: null, notDropped: 0, errors: [],
  };
  const errorsBefore = new Map(receivers.map((p) => [p, p.errors.length]));

  // The speaker's reaction is wired before the grant goes out, as a client's listener would be.
  const speaking = speaker.client
    .next('floor:updated', (f) => f.speakers.some((s) => s.participantId === speaker.id), opts.roundTimeoutMs)
    .then(async () => {
      result.floorSeenMs = performance.now() - r.t0;
      const producer = await speaker.publish('microphone');
      r.producerId = producer.id;
      result.producedMs = performance.now() - r.t0;
    })
    .catch((err: Error) => void result.errors.push(`speaker: ${err.message}`));

  tracker.begin(r);
  try {
    r.t0 = performance.now();
    await lecturer.client.request('floor:grant', { participantId: speaker.id });
    result.grantAckMs = performance.now() - r.t0;
    await speaking;
    await waitFor(() => r.resumed.size >= receivers.length || opts.signal.aborted, opts.roundTimeoutMs);
    // Snapshot now: a late straggler must not slip into the numbers after the verdict.
    result.reached = r.resumed.size;
    result.relayMs = [...r.resumed.values()];
    result.addedMs = [...r.added.values()];

    if (r.producerId !== undefined) {
      const producerId = r.producerId;
      r.revokeT0 = performance.now();
      await lecturer.client.request('floor:revoke', { participantId: speaker.id });
      const gone = () => receivers.every((p) => !p.connected || !p.consumers.has(producerId)) && !speaker.producers.has('microphone');
      const ok = await waitFor(gone, opts.roundTimeoutMs);
      result.notDropped = receivers.filter((p) => p.consumers.has(producerId)).length;
      result.revokeDropMs = ok && r.dropped.size > 0 ? Math.max(...r.dropped.values()) : null;
    } else {
      // Never published: still take the floor back so the next round starts clean.
      await lecturer.client.request('floor:revoke', { participantId: speaker.id }).catch(() => undefined);
    }
  } catch (err) {
    result.errors.push(`lecturer: ${(err as Error).message}`);
  } finally {
    tracker.end();
  }
  for (const [peer, before] of errorsBefore) {
    for (const e of peer.errors.slice(before)) if (result.errors.length < 20) result.errors.push(`${peer.id}: ${e}`);
  }
  const missing = receivers.length - result.reached;
  if (missing > 0) result.errors.push(`${missing} receiver(s) not resumed within ${opts.roundTimeoutMs} ms`);
  return result;
}
