/**
 * Who may open a connection, before it costs a join and a leave (each a broadcast to the
 * lecture's staff). Per participant identity (the token's subject, since a campus shares one
 * NAT address): a burst of reconnects is fine — a flaky network, a failover — a loop is not;
 * and one dropped for flooding sits out a penalty before it may come back.
 */
import { TokenBucket } from './rateLimit.ts';

export const RECONNECTS = { perSecond: 1 / 3, burst: 10 };
export const FLOOD_PENALTY_MS = 15_000;
const MAX_TRACKED = 20_000;

export class ConnectionGate {
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #penalised = new Map<string, number>();

  /** A refusal message, or null when the connection may proceed. */
  admit(subject: string, now = Date.now()): string | null {
    const until = this.#penalised.get(subject);
    if (until !== undefined) {
      if (now < until) return `dropped for flooding; wait ${Math.ceil((until - now) / 1000)} s`;
      this.#penalised.delete(subject);
    }
    let bucket = this.#buckets.get(subject);
    if (!bucket) {
      // Bounded memory: forgetting everyone only forgives.
      if (this.#buckets.size >= MAX_TRACKED) this.#buckets.clear();
      this.#buckets.set(subject, (bucket = new TokenBucket(RECONNECTS.perSecond, RECONNECTS.burst, now)));
    }
    return bucket.take(now) ? null : 'reconnecting too often; wait a few seconds';
  }

  penalise(subject: string, now = Date.now()): void {
    if (this.#penalised.size >= MAX_TRACKED) this.#penalised.clear();
    this.#penalised.set(subject, now + FLOOD_PENALTY_MS);
  }
}
