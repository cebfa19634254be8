/** What one setup of the fan-out benchmark measured, reduced to percentiles. */
import { summarize, type Summary } from '../stats/percentiles.ts';

export interface Broadcast {
  /** The lecturer's `chat:send` acknowledgement, ms after the emit. */
  ackMs: number | null;
  /** Per client: ms from the emit to its `chat:posted`; NaN if it never arrived. */
  arrivals: Float64Array;
}

export interface FanoutStats {
  broadcasts: number;
  /** Client receptions that never happened (within the per-broadcast timeout). */
  missing: number;
  /** Emit → the last client has it, over broadcasts that reached every client. */
  lastReceiverMs: Summary;
  /** Emit → each client has it, over every reception. */
  perClientMs: Summary;
  ackMs: Summary;
  /** The same, for the clients of each node (node 0 is the lecturer's). */
  byNode: { node: number; clients: number; perClientMs: Summary; lastReceiverMs: Summary }[];
}

export function fanoutStats(broadcasts: readonly Broadcast[], nodeOf: readonly number[]): FanoutStats {
  const nodes = [...new Set(nodeOf)].sort((a, b) => a - b);
  const of = (clients: number[]) => {
    const per: number[] = [];
    const last: number[] = [];
    let missing = 0;
    for (const b of broadcasts) {
      let max = 0;
      let complete = true;
      for (const i of clients) {
        const ms = b.arrivals[i]!;
        if (Number.isNaN(ms)) {
          complete = false;
          missing++;
        } else {
          per.push(ms);
          max = Math.max(max, ms);
        }
      }
      if (complete && clients.length > 0) last.push(max);
    }
    return { per, last, missing };
  };
  const all = of(nodeOf.map((_, i) => i));
  return {
    broadcasts: broadcasts.length,
    missing: all.missing,
    lastReceiverMs: summarize(all.last),
    perClientMs: summarize(all.per),
    ackMs: summarize(broadcasts.flatMap((b) => (b.ackMs === null ? [] : [b.ackMs]))),
    byNode: nodes.map((node) => {
      const clients = nodeOf.flatMap((n, i) => (n === node ? [i] : []));
      const s = of(clients);
      return { node, clients: clients.length, perClientMs: summarize(s.per), lastReceiverMs: summarize(s.last) };
    }),
  };
}
