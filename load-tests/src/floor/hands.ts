/**
 * Raise-hand latency: from just before a student emits `hand:raise` to the moment the
 * LECTURER's socket receives a `hands:updated` listing that student — what the lecturer's
 * screen waits for, not merely the student's own acknowledgement.
 *
 * The server tells sessions one after another in join order, and the lecturer joined first, so
 * that is the best case. A staff observer that joined after everyone sits at the tail of the
 * same fan-out and shows the worst case (e.g. a lecturer who dropped and rejoined).
 */
import type { HandsView } from '@tongtang/shared';
import type { BenchPeer } from './benchPeer.ts';
import { runPaced, waitFor } from './pace.ts';
import { RequestError, type SignalClient } from '@tongtang/protocol-client';

/** Times, for one staff socket, when each pending raiser first appears in its queue. */
class QueueWatcher {
  readonly pending = new Map<string, number>(); // participant id → emit time
  readonly latencyMs: number[] = [];
  updates = 0;
  maxQueue = 0;
  private readonly onHands = (view: HandsView) => {
    const at = performance.now();
    this.updates++;
    this.maxQueue = Math.max(this.maxQueue, view.entries.length);
    for (const entry of view.entries) {
      const t0 = this.pending.get(entry.participantId);
      if (t0 === undefined) continue;
      this.pending.delete(entry.participantId);
      this.latencyMs.push(at - t0);
    }
  };

  private readonly unsubscribe: () => void;

  constructor(client: SignalClient) {
    this.unsubscribe = client.on('hands:updated', this.onHands);
  }

  stop(): void {
    this.unsubscribe();
  }
}

export interface HandsResult {
  attempted: number;
  acked: number;
  seenByLecturer: number;
  failures: Record<string, number>;
  /** Emit → the lecturer sees the entry (the measured latency). */
  latencyMs: number[];
  /** Emit → the student's own acknowledgement. */
  ackMs: number[];
  /** Emit → the observer that joined last sees the entry (the tail of the server's fan-out). */
  tailLatencyMs: number[];
  /** Largest queue the lecturer received, and the hands:updated events it got. */
  maxQueue: number;
  lecturerUpdates: number;
}

export interface HandsOptions {
  count: number;
  perSecond: number;
  batch: number;
  signal: AbortSignal;
}

const SEEN_TIMEOUT_MS = 15_000;

export async function measureRaiseHand(
  lecturer: BenchPeer, students: readonly BenchPeer[], tail: SignalClient | null, opts: HandsOptions,
): Promise<HandsResult> {
  const result: HandsResult = {
    attempted: 0, acked: 0, seenByLecturer: 0, failures: {}, latencyMs: [], ackMs: [], tailLatencyMs: [], maxQueue: 0, lecturerUpdates: 0,
  };
  const main = new QueueWatcher(lecturer.client);
  const last = tail ? new QueueWatcher(tail) : null;
  const { pending } = main;
  try {
    const raisers = students.filter((s) => s.connected).slice(0, opts.count);
    for (let start = 0; start < raisers.length && !opts.signal.aborted; start += opts.batch) {
      const batch = raisers.slice(start, start + opts.batch);
      // Concurrency = the batch: a raise is one small request, the schedule alone sets the rate.
      await runPaced(batch, { perSecond: opts.perSecond, concurrency: batch.length, signal: opts.signal }, async (student) => {
        result.attempted++;
        const t0 = performance.now();
        pending.set(student.id, t0);
        last?.pending.set(student.id, t0);
        try {
          await student.client.request('hand:raise', {}, 10_000);
          result.ackMs.push(performance.now() - t0);
          result.acked++;
        } catch (err) {
          pending.delete(student.id);
          last?.pending.delete(student.id);
          const code = err instanceof RequestError ? err.code : 'ERROR';
          result.failures[code] = (result.failures[code] ?? 0) + 1;
        }
      });
      await waitFor(() => pending.size === 0 && (last?.pending.size ?? 0) === 0, SEEN_TIMEOUT_MS);
      last?.pending.clear(); // only the lecturer's misses count as failures
      for (const id of pending.keys()) {
        result.failures['NOT_SEEN_BY_LECTURER'] = (result.failures['NOT_SEEN_BY_LECTURER'] ?? 0) + 1;
        pending.delete(id);
      }
      await lecturer.client.request('hand:clear', {});
    }
  } finally {
    main.stop();
    last?.stop();
  }
  result.latencyMs = main.latencyMs;
  result.seenByLecturer = main.latencyMs.length;
  result.tailLatencyMs = last?.latencyMs ?? [];
  result.maxQueue = main.maxQueue;
  result.lecturerUpdates = main.updates;
  return result;
}
