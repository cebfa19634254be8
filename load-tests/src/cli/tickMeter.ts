/**
 * Turns a client process's peers into one tick per second: its own CPU and event-loop delay (the
 * saturation signal), peer counts, and what arrived since the previous tick.
 */
import type { IntervalHistogram } from 'node:perf_hooks';
import type { LayerKey } from '../rtp/ConsumerMeter.ts';
import type { RtpPeer } from '../rtp/RtpPeer.ts';
import { LogHistogram } from '../report/histogram.ts';
import type { WorkerTick } from './workerProtocol.ts';

interface SlotView {
  peer?: RtpPeer;
  error?: string;
  startedAt?: number;
}

interface Totals {
  rxBytes: Partial<Record<LayerKey, number>>;
  expected: number;
  received: number;
}

export class TickMeter {
  readonly totalDelay = new LogHistogram();
  readonly #delay = new LogHistogram();
  readonly #rtt = new LogHistogram();
  #rttErrors = 0;
  #lastWall = performance.now();
  #lastCpu = process.cpuUsage();
  #last: Totals = { rxBytes: {}, expected: 0, received: 0 };

  constructor(private readonly loop: IntervalHistogram & { enable(): void; reset(): void }) {
    loop.enable();
  }

  rtt(ms: number, ok: boolean): void {
    this.#rtt.add(ms);
    if (!ok) this.#rttErrors++;
  }

  tick(slots: Iterable<SlotView>): WorkerTick {
    const wall = performance.now();
    const cpu = process.cpuUsage(this.#lastCpu);
    const cpuPct = (100 * (cpu.user + cpu.system) / 1000) / Math.max(1, wall - this.#lastWall);
    this.#lastWall = wall;
    this.#lastCpu = process.cpuUsage();

    const now: Totals = { rxBytes: {}, expected: 0, received: 0 };
    let joined = 0, joining = 0, failed = 0, dropped = 0;
    for (const slot of slots) {
      if (slot.error) failed++;
      else if (slot.peer) joined++;
      else if (slot.startedAt !== undefined) joining++;
      if (slot.peer?.disconnected) dropped++;
      for (const m of slot.peer?.meters.values() ?? []) {
        now.expected += m.seq.expected;
        now.received += m.seq.received;
        for (const [k, v] of Object.entries(m.layerBytes) as [LayerKey, number][]) now.rxBytes[k] = (now.rxBytes[k] ?? 0) + v;
        for (const d of m.delays) {
          this.#delay.add(d);
          this.totalDelay.add(d);
        }
        m.delays = [];
      }
    }
    const rxBytes: Partial<Record<LayerKey, number>> = {};
    for (const [k, v] of Object.entries(now.rxBytes) as [LayerKey, number][]) rxBytes[k] = v - (this.#last.rxBytes[k] ?? 0);
    const tick: WorkerTick = {
      at: Date.now(),
      cpuPct,
      loopDelayP99Ms: this.loop.count > 0 ? this.loop.percentile(99) / 1e6 : 0,
      rssMb: process.memoryUsage.rss() / 1e6,
      joined, joining, failed, dropped,
      rxBytes,
      // A closed peer's meters stay in the sums, so these differences never go negative.
      expected: now.expected - this.#last.expected,
      received: now.received - this.#last.received,
      delay: this.#delay.toJSON(),
      rtt: this.#rtt.toJSON(),
      rttErrors: this.#rttErrors,
    };
    this.#last = now;
    this.#delay.clear();
    this.#rtt.clear();
    this.#rttErrors = 0;
    this.loop.reset();
    return tick;
  }
}
