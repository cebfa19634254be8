/**
 * What one pipe hop between media nodes costs on loopback. Synthetic Opus RTP goes into a
 * PlainTransport producer on node A and comes out of a PlainTransport consumer either on A
 * (direct) or on node B behind a pipe (piped); we time each packet from send to receive and read
 * the workers' CPU time around each phase. Timestamps are taken in Node on both ends, so they
 * include its event loop: the medians are what the bench can resolve, the tails mostly the machine.
 *
 *   MEDIASOUP_WORKER_BIN=$(bash scripts/build-mediasoup-worker.sh 2>/dev/null | tail -1) \
 *     node --import tsx sfu-server/bench/pipeHop.ts [packets=2000] [intervalMs=2] [payloadBytes=1000] [rounds=3]
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { types as ms } from 'mediasoup';
import { sfuConfig } from '../src/config.ts';
import { MediasoupNode } from '../src/MediasoupNode.ts';
import { feedRtp, originWorker, tapRtp, type RtpFeed, type RtpTap } from '../test-support/plainRtp.ts';

const [packets = 2000, intervalMs = 2, payloadBytes = 1000, rounds = 3] = process.argv.slice(2).map(Number);
const WARM_UP = 50;

interface Phase {
  name: string;
  /** Latency in µs per tap, by packet index. */
  latencies: Map<number, number>[];
  cpuMs: { a: number; b: number };
}

async function cpuMs(worker: ms.Worker): Promise<number> {
  const ru = await worker.getResourceUsage();
  return ru.ru_utime + ru.ru_stime;
}

/** Sends `count` packets from `first` on, one per interval, and waits for every tap to get `need` of them. */
async function run(feed: RtpFeed, taps: RtpTap[], first: number, count: number, need = count): Promise<Map<number, bigint>> {
  const sentAt = new Map<number, bigint>();
  const goal = taps.map((t) => t.packets.length + need);
  await new Promise<void>((resolve) => {
    let i = 0;
    const timer = setInterval(() => {
      sentAt.set(first + i, feed.send(first + i));
      if (++i === count) {
        clearInterval(timer);
        resolve();
      }
    }, intervalMs);
  });
  await Promise.all(taps.map((t, k) => t.waitFor(goal[k]!, 5000))).catch((err: unknown) => console.warn(String(err)));
  return sentAt;
}

async function phase(name: string, feed: RtpFeed, taps: RtpTap[], workers: { a: ms.Worker; b: ms.Worker }, start: number): Promise<Phase> {
  // A fresh consumer may miss the first packet or two: warm-up only needs most of them.
  await run(feed, taps, start, WARM_UP, WARM_UP - 5);
  const before = { a: await cpuMs(workers.a), b: await cpuMs(workers.b) };
  const first = start + WARM_UP;
  const sentAt = await run(feed, taps, first, packets);
  const after = { a: await cpuMs(workers.a), b: await cpuMs(workers.b) };
  const latencies = taps.map((t) => {
    const byIndex = new Map<number, number>();
    for (const p of t.packets) {
      const sent = sentAt.get(p.index);
      if (sent !== undefined) byIndex.set(p.index, Number(p.at - sent) / 1000);
    }
    return byIndex;
  });
  return { name, latencies, cpuMs: { a: after.a - before.a, b: after.b - before.b } };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function describe(label: string, values: number[]): string {
  return `${label}: n=${values.length} p50=${percentile(values, 50).toFixed(0)}µs p99=${percentile(values, 99).toFixed(0)}µs`;
}

/** The documented pull sequence: B opens, A opens, connects and exports, B connects and imports. */
async function pull(a: MediasoupNode, b: MediasoupNode, lectureId: string, producerId: string): Promise<void> {
  const endB = await b.openPipe(lectureId, 'A');
  const endA = await a.openPipe(lectureId, 'B');
  await a.connectPipe(lectureId, 'B', endB);
  const exported = await a.exportProducer(lectureId, 'B', producerId);
  await b.connectPipe(lectureId, 'A', endA);
  await b.importProducer(lectureId, 'A', exported);
}

function report(r: Phase): void {
  const perK = (ms: number): string => ((ms / packets) * 1000).toFixed(1);
  for (const [k, lat] of r.latencies.entries()) console.log(`  ${r.name}${r.latencies.length > 1 ? ` #${k}` : ''} ${describe('latency', [...lat.values()])}`);
  console.log(`    worker CPU: A ${r.cpuMs.a} ms, B ${r.cpuMs.b} ms (per 1000 packets: A ${perK(r.cpuMs.a)}, B ${perK(r.cpuMs.b)})`);
}

const config = sfuConfig({ numWorkers: 1, rtcPort: 0, listenIp: '127.0.0.1', logLevel: 'error' });
const [a, b] = await Promise.all([MediasoupNode.create(config), MediasoupNode.create(config)]);
try {
  const lectureId = randomUUID();
  await Promise.all([a.getRouterRtpCapabilities(lectureId), b.getRouterRtpCapabilities(lectureId)]);
  const workers = { a: await originWorker(a, lectureId), b: await originWorker(b, lectureId) };
  const feed = await feedRtp(a, lectureId, 'encoder', payloadBytes);
  const id = feed.producer.id;
  console.log(`${packets} packets of ${payloadBytes} B payload every ${intervalMs} ms per phase, ${rounds} rounds; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const medians = { direct: [] as number[], piped: [] as number[] };
  let next = 0;
  // Alternate, with a fresh pipe each round: machine noise then hits both paths alike, and the
  // direct phase carries no pipe traffic at all (its CPU is the origin's own work).
  for (let round = 1; round <= rounds; round++) {
    console.log(`round ${round}`);
    const direct = await tapRtp(a, lectureId, id);
    const d = await phase('direct (A)', feed, [direct], workers, (next += 100_000));
    direct.close();
    await pull(a, b, lectureId, id);
    const piped = await tapRtp(b, lectureId, id);
    const p = await phase('piped (A → B)', feed, [piped], workers, (next += 100_000));
    piped.close();
    await Promise.all([a.closePipe(lectureId, 'B'), b.closePipe(lectureId, 'A')]);
    report(d);
    report(p);
    medians.direct.push(percentile([...d.latencies[0]!.values()], 50));
    medians.piped.push(percentile([...p.latencies[0]!.values()], 50));
  }
  const added = medians.piped.map((m, i) => m - medians.direct[i]!);
  console.log(`p50 added by the hop per round: ${added.map((x) => `${x.toFixed(0)}µs`).join(', ')}`);

  // Both paths at once: the same packet's two arrivals, subtracted. Whichever socket Node reads
  // first gets the earlier timestamp, so this shows the hop against Node's own resolution.
  await pull(a, b, lectureId, id);
  const taps = [await tapRtp(a, lectureId, id), await tapRtp(b, lectureId, id)];
  const both = await phase('both at once', feed, taps, workers, (next += 100_000));
  report(both);
  const [onA, onB] = both.latencies;
  const hop = [...onB!].flatMap(([index, lat]) => (onA!.has(index) ? [lat - onA!.get(index)!] : []));
  console.log(`  ${describe('same packet, piped minus direct', hop)}`);
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  for (const t of taps) t.close();
  feed.close();
} finally {
  await Promise.all([a.close(), b.close()]);
}
