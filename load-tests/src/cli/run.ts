/**
 * The load test, programmatically: start (or find) the server, fork the client processes, ramp
 * the joins, let speakers take the floor, watch everything each second, then stop it all and
 * write report.json and report.html. Bounded: a hard deadline kills whatever is still running.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ensureClips } from '../rtp/clips.ts';
import { renderHtml } from '../report/html.ts';
import { buildReport } from '../report/summary.ts';
import type { FloorEvent, LoadTestReport, RunRecord } from '../report/types.ts';
import { startLocalCluster, type LocalCluster } from '../cluster/localCluster.ts';
import { ClusterProbe } from './clusterProbe.ts';
import { HostCpu, udpReceiveBufferErrors } from './hostCpu.ts';
import { startLocalServer, type LocalServer } from './localServer.ts';
import { childPids } from '../stats/cpu.ts';
import type { LoadTestOptions } from './options.ts';
import { planRun } from './plan.ts';
import { progressLine } from './progress.ts';
import { WorkerHandle } from './workerHandle.ts';
import type { WorkerMessage } from './workerProtocol.ts';

const SPEAKER_HOLD_MS = 5000;
const POLL_CLOSE_BEFORE_END_MS = 2000;
/** Beyond ramp + duration: boot, clip encoding, stopping. Past it everything is killed. */
const DEADLINE_SLACK_MS = 90_000;

export interface RunResult {
  report: LoadTestReport;
  dir: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

export async function runLoadTest(o: LoadTestOptions, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<RunResult> {
  const dir = path.resolve(o.out);
  fs.mkdirSync(dir, { recursive: true });
  const record: RunRecord = {
    options: { ...o, secret: o.secret ? '(given)' : undefined, metricsToken: o.metricsToken ? '(given)' : undefined },
    url: o.url ?? '(local)', local: o.local || o.localNodes > 0, startedAt: Date.now(), rampStartAt: Date.now(), endedAt: 0, aborted: null,
    ticks: [], server: [], host: [], peers: [], delay: [], rtt: [], floor: [], errors: [], planned: o.classrooms + o.students,
    rampS: Math.max(0, (o.classrooms + o.students - 1) / o.rampPerS), udpRcvbufErrors: null,
  };
  const workers: WorkerHandle[] = [];
  const floor = new Map<string, FloorEvent>();
  /** Hands the lecturer saw before the raiser's ack reached us. */
  const seenAt = new Map<string, number>();
  let server: LocalServer | undefined;
  /** Kept as the promise: a deadline hit mid-start must still stop the nodes once they are up. */
  let cluster: Promise<LocalCluster> | undefined;
  let monitor: NodeJS.Timeout | undefined;
  let stopping = false;

  const onMessage = (w: WorkerHandle, m: WorkerMessage): void => {
    if (m.type === 'tick') record.ticks.push({ worker: w.index, tick: m.tick });
    else if (m.type === 'error') record.errors.push(`client ${w.index}: ${m.message}`);
    else if (m.type === 'joinFailed' && record.errors.length < 500) record.errors.push(`peer ${m.peerIndex}: ${m.error}`);
    else if (m.type === 'raised') floor.set(m.participantId, { participantId: m.participantId, raiseSentAt: m.sentAt, raisedAt: m.at, lecturerSawAt: seenAt.get(m.participantId) });
    else if (m.type === 'handSeen') {
      // Either order: the lecturer's process may report the entry before the raiser's ack arrives.
      const f = floor.get(m.participantId);
      if (f) f.lecturerSawAt ??= m.at;
      else seenAt.set(m.participantId, m.at);
    } else if (m.type === 'pollClosed') record.poll = { answers: m.answers, sites: m.sites };
    else if (m.type === 'granted') Object.assign(floor.get(m.participantId) ?? {}, { grantedAt: m.at });
    else if (m.type === 'spoke') Object.assign(floor.get(m.participantId) ?? {}, { spokeAt: m.at, producerId: m.producerId });
  };

  const flow = async (): Promise<void> => {
    let secret = o.secret;
    let urls = o.url ? [o.url, ...o.otherUrls] : [];
    if (o.local) {
      log('starting a local server…');
      server = await startLocalServer({ sfuWorkers: o.sfuWorkers, logFile: path.join(dir, 'server.log') });
      urls = [server.url];
      secret = server.secret;
    } else if (o.localNodes > 0) {
      log(`starting a local Redis and ${o.localNodes} clustered nodes…`);
      cluster = startLocalCluster({ nodes: o.localNodes, sfuWorkers: o.sfuWorkers, logDir: dir });
      const c = await cluster;
      urls = c.nodes.map((n) => n.url);
      secret = c.secret;
    }
    record.url = urls.join(',');
    const clipsDir = ensureClips(o.clipsDir);
    log(`server ${record.url}; starting client processes…`);
    const plan = planRun(o, secret!, urls.length);
    const spawnWorker = (index: number) => {
      const w = new WorkerHandle(index, path.join(dir, `client-${index}.log`), onMessage);
      workers.push(w);
      return w;
    };
    const init = (w: WorkerHandle, peers: typeof plan.publisher, interactionRate: number) =>
      w.send({ type: 'init', workerIndex: w.index, urls, clipsDir, peers, interactionRate });

    // The lecturer first: publishing and live before any receiver arrives.
    const publisher = spawnWorker(0);
    const receivers = plan.receivers.map((_, i) => spawnWorker(i + 1));
    await Promise.all(workers.map((w) => w.waitFor('booted', 30_000)));
    init(publisher, plan.publisher, 0);
    await publisher.waitFor('ready', 30_000);
    receivers.forEach((w, i) => init(w, plan.receivers[i]!, o.interactionRate / receivers.length));

    const localPids = server ? [server.pid] : (await cluster)?.nodes.map((n) => n.pid) ?? [];
    const probe = new ClusterProbe(urls.map((url, i) => ({ url, ...(localPids[i] !== undefined ? { localPid: localPids[i] } : {}) })), o.metricsToken);
    const host = new HostCpu();
    const udpDropsBefore = udpReceiveBufferErrors();
    const udpDrops = () => {
      const now = udpReceiveBufferErrors();
      return now === null || udpDropsBefore === null ? null : now - udpDropsBefore;
    };
    record.rampStartAt = Date.now() + 500;
    for (const w of workers) w.send({ type: 'start', rampStartAt: record.rampStartAt });
    monitor = setInterval(() => void (async () => {
      const s = await probe.sample().catch(() => null);
      if (s) record.server.push(s);
      const h = host.sample();
      if (h !== null) record.host.push({ at: Date.now(), cpuPct: h });
      if (o.quiet || stopping) return;
      log(progressLine({
        elapsedS: (Date.now() - record.rampStartAt) / 1000, planned: record.planned,
        ticks: workers.flatMap((w) => (w.lastTick ? [w.lastTick] : [])), server: s, hostCpuPct: h, udpDrops: udpDrops(),
      }));
    })(), 1000);

    const endAt = record.rampStartAt + (plan.rampS + o.durationS) * 1000;
    if (o.killWorkerAtS !== undefined && server) {
      const serverPid = server.pid;
      const drill = setTimeout(() => {
        const [worker] = childPids(serverPid);
        if (worker === undefined) return void record.errors.push('fault drill: no media worker to kill');
        log(`fault drill: killing media worker ${worker}`);
        record.errors.push(`fault drill: media worker ${worker} killed at ${o.killWorkerAtS} s`);
        try {
          process.kill(worker, 'SIGKILL');
        } catch (err) {
          record.errors.push(`fault drill: ${(err as Error).message}`);
        }
      }, record.rampStartAt + o.killWorkerAtS * 1000 - Date.now());
      drill.unref();
    }
    // A quick poll for the whole measurement: students answer it as part of the churn.
    if (o.interactionRate > 0) publisher.send({ type: 'poll', action: 'open' });
    const speakers = plan.receivers.flatMap((peers, i) => peers.filter((p) => p.speaker).map((p) => ({ peer: p, worker: receivers[i]! })));
    if (speakers.length > 0) {
      await sleep(record.rampStartAt + plan.rampS * 1000 + 2000 - Date.now());
      for (const { peer, worker } of speakers) {
        if (Date.now() + SPEAKER_HOLD_MS + 1000 > endAt) break; // not enough time left to hear one
        try {
          worker.send({ type: 'raise', peerIndex: peer.index });
          const raised = await worker.waitFor('raised', 10_000, (m) => m.peerIndex === peer.index);
          publisher.send({ type: 'grant', entryId: raised.entryId, participantId: raised.participantId });
          await publisher.waitFor('granted', 10_000, (m) => m.participantId === raised.participantId);
          await sleep(SPEAKER_HOLD_MS);
          publisher.send({ type: 'revoke', participantId: raised.participantId });
          await sleep(1000);
        } catch (err) {
          record.errors.push(`speaker ${peer.index}: ${(err as Error).message}`);
        }
      }
    }
    if (o.interactionRate > 0) {
      await sleep(endAt - POLL_CLOSE_BEFORE_END_MS - Date.now());
      publisher.send({ type: 'poll', action: 'close' });
    }
    await sleep(endAt - Date.now());
    record.udpRcvbufErrors = udpDrops();
  };

  const deadlineMs = ((o.classrooms + o.students) / o.rampPerS + o.durationS) * 1000 + DEADLINE_SLACK_MS;
  let deadline: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      flow(),
      new Promise<never>((_, reject) => { deadline = setTimeout(() => reject(new Error(`hard deadline of ${Math.round(deadlineMs / 1000)} s reached`)), deadlineMs); }),
    ]);
  } catch (err) {
    record.aborted = (err as Error).message;
    log(`aborting: ${record.aborted}`);
  } finally {
    stopping = true;
    clearTimeout(deadline);
    record.endedAt = Date.now();
    log('stopping the clients…');
    for (const w of workers) w.send({ type: 'stop' });
    await Promise.allSettled(workers.map((w) => w.waitFor('final', 15_000, () => true, true)));
    clearInterval(monitor);
    for (const w of workers) w.kill(); // the ones that did not exit after their final report
    if (server) log('stopping the local server…');
    await server?.stop();
    if (cluster) log('stopping the local nodes and Redis…');
    await cluster?.then((c) => c.stop(), () => undefined); // a failed start has stopped itself
  }

  for (const w of workers) {
    if (!w.final) continue;
    record.peers.push(...w.final.peers);
    record.delay.push(w.final.delay);
    record.rtt.push(w.final.rtt);
  }
  record.floor = [...floor.values()];
  const report = buildReport(record);
  fs.writeFileSync(path.join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'report.html'), renderHtml(report));
  return { report, dir };
}
