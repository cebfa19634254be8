/**
 * Samples WebRTC statistics every few seconds and turns them into quality readings: one per
 * received stream (the lecturer's wall tiles) and one for this page's own connection. Loss is
 * measured between samples, so a bad minute long ago does not colour the indicator forever.
 */
import { createStore, type StoreApi } from 'zustand';
import { lossBetween, rateLink, worst, type LinkSample, type Quality } from '../media/quality.ts';
import type { RoomClient } from '../media/RoomClient.ts';
import type { TransportPath } from '../media/stats.ts';

export interface NetworkSnapshot {
  own: Quality;
  /** The receive path (or the send path for a page that only publishes). */
  path: TransportPath | null;
  /** consumerId → quality of that stream as it reaches us. */
  consumers: Readonly<Record<string, Quality>>;
}

const SAMPLE_MS = 2_000;
const EMPTY: NetworkSnapshot = { own: 'unknown', path: null, consumers: {} };

export class NetworkMonitor {
  readonly store: StoreApi<NetworkSnapshot> = createStore<NetworkSnapshot>()(() => EMPTY);
  readonly #room: () => RoomClient | null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #previous = new Map<string, LinkSample>();
  #sampling = false;

  constructor(room: () => RoomClient | null) {
    this.#room = room;
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.sample(), SAMPLE_MS);
  }

  /** Safe to call twice. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  async sample(): Promise<void> {
    const room = this.#room();
    if (!room) {
      this.#previous.clear();
      this.store.setState(EMPTY, true);
      return;
    }
    if (this.#sampling) return; // a slow getStats must not pile up
    this.#sampling = true;
    try {
      const [inbound, outbound, paths] = await Promise.all([room.inboundStats(), room.outboundStats(), room.transportPaths()]);
      const path = paths.recv ?? paths.send;
      const rtt = path?.rttMs ?? null;
      const consumers: Record<string, Quality> = {};
      for (const s of inbound) {
        const before = this.#previousOf(s.consumerId);
        consumers[s.consumerId] = before ? rateLink(lossBetween(before, s), rtt) : 'unknown';
      }
      // Our own link: all streams together, so one remote site's bad uplink does not look like ours.
      const total = { before: { packetsReceived: 0, packetsLost: 0 }, now: { packetsReceived: 0, packetsLost: 0 } };
      for (const s of inbound) {
        const before = this.#previousOf(s.consumerId);
        if (!before) continue;
        total.before.packetsReceived += before.packetsReceived;
        total.before.packetsLost += before.packetsLost;
        total.now.packetsReceived += s.packetsReceived;
        total.now.packetsLost += s.packetsLost;
      }
      const downstream = path ? rateLink(lossBetween(total.before, total.now), rtt) : 'unknown';
      const upstream = outbound.map((o) => rateLink(o.fractionLost, o.roundTripTimeMs));
      const own = worst([downstream, ...upstream]);
      this.#previous = new Map(inbound.map((s) => [s.consumerId, s]));
      this.store.setState({ own, path, consumers }, true);
    } catch {
      // Stats of a transport closing under us; the next sample starts clean.
      this.#previous.clear();
    } finally {
      this.#sampling = false;
    }
  }

  #previousOf(consumerId: string): LinkSample | undefined {
    return this.#previous.get(consumerId);
  }
}
