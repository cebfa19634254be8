/**
 * What one connection may ask of the server. Three limits, cheapest first:
 * - every request takes a token from the connection's bucket (REQUESTS_PER_SECOND, burst ×2);
 * - requests that fan out to many people (chat, reactions, hands: one request, hundreds of
 *   emits) also spend a small budget of their own, so one student cannot keep a 300-strong
 *   lecture's event loop busy while staying under the overall rate;
 * - every refusal is a strike, and a connection that keeps being refused is dropped: answering a
 *   flood, however cheaply, is still work done for nobody.
 */
import type { RequestName, WireError } from '@tongtang/shared';
import { TokenBucket } from './rateLimit.ts';

export interface Budget {
  perSecond: number;
  burst: number;
}

/** Fan-out requests: a person sends a few of these a minute; the burst covers a quick exchange. */
export const FANOUT_BUDGETS: Partial<Record<RequestName, Budget>> = {
  'chat:send': { perSecond: 1, burst: 5 },
  'reaction:send': { perSecond: 2, burst: 6 },
  'hand:raise': { perSecond: 1, burst: 4 },
  'hand:lower': { perSecond: 1, burst: 4 },
};

/** Refusals a connection may collect before it is dropped: a burst of 50, then 5 a second. */
export const STRIKES: Budget = { perSecond: 5, burst: 50 };

export type Admission = { ok: true } | { ok: false; error: WireError; drop: boolean };

export class RequestBudget {
  readonly #all: TokenBucket;
  readonly #strikes: TokenBucket;
  readonly #fanout = new Map<string, TokenBucket>();
  readonly #budgets: Partial<Record<string, Budget>>;

  constructor(requestsPerSecond: number, budgets: Partial<Record<RequestName, Budget>> = FANOUT_BUDGETS, strikes: Budget = STRIKES, now = Date.now()) {
    this.#all = new TokenBucket(requestsPerSecond, requestsPerSecond * 2, now);
    this.#strikes = new TokenBucket(strikes.perSecond, strikes.burst, now);
    this.#budgets = budgets;
  }

  /** Every request, before anything else is looked at. */
  admit(now = Date.now()): Admission {
    return this.#all.take(now) ? { ok: true } : this.#refuse('too many requests; slow down', now);
  }

  /** A well-formed request that fans out, before it runs (a malformed one costs no fan-out). */
  admitFanout(name: string, now = Date.now()): Admission {
    const budget = Object.hasOwn(this.#budgets, name) ? this.#budgets[name] : undefined;
    if (!budget) return { ok: true };
    let bucket = this.#fanout.get(name);
    if (!bucket) this.#fanout.set(name, (bucket = new TokenBucket(budget.perSecond, budget.burst, now)));
    if (!bucket.take(now)) return this.#refuse(`too many ${name} requests; at most ${budget.perSecond} a second`, now);
    return { ok: true };
  }

  #refuse(message: string, now: number): Admission {
    return { ok: false, error: { code: 'RATE_LIMITED', message }, drop: !this.#strikes.take(now) };
  }
}
