/**
 * One mode of the bench (1 or 2 workers): a fresh SFU, sender and receiver process, then the
 * steps, each adding receivers, warming up and measuring one window, until the worker saturates.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { udpReceiveBufferErrors } from '../cli/hostCpu.ts';
import { CAMERA_BITRATES } from '../rtp/clips.ts';
import { epochNow } from '../rtp/streamSender.ts';
import { machineBusyMs, processCpuMs } from '../stats/cpu.ts';
import type { CapacityConfig } from './args.ts';
import { startChild, type Child } from './child.ts';
import type { ReceiverReady, ReceiverSnapshot, SenderReady, SenderSetup, SenderStats } from './protocol.ts';
import { disturbed, saturated } from './rules.ts';
import { AUDIO_PT, CapacitySfu, VIDEO_PT } from './sfu.ts';
import { stepResult, type Snapshot, type StepResult } from './window.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Asked per receiver socket; Linux grants at most net.core.rmem_max (here 4 MiB) and doubles it. */
const RECEIVE_BUFFER_BYTES = 32 * 1024 * 1024;
/** Receivers whose consumers' own packet counts are read for the cross-check. */
const SAMPLE = 10;
/** Windows measured per step at most while neighbours disturb them; the least disturbed one counts. */
const MEASURE_ATTEMPTS = 3;

/** Filled in as the mode runs, so an aborted run still reports the steps it measured. */
export interface ModeResult {
  workers: number;
  /** Receive buffer the kernel granted each receiver socket. */
  receiverSockets: number[];
  senderNice: number | string;
  senderNominalPps: number;
  steps: StepResult[];
}

/** What a run holds open: teardown closes whatever exists, whenever it is called. */
export interface Held {
  sfu?: CapacitySfu;
  sender?: Child<SenderReady, SenderStats>;
  receiver?: Child<ReceiverReady, ReceiverSnapshot>;
}

export function release(held: Held): void {
  held.sender?.stop();
  held.receiver?.stop();
  held.sfu?.close();
  delete held.sender;
  delete held.receiver;
  delete held.sfu;
}

/** Ends early on abort; removes its listener either way (one per step would pile up on the signal). */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

export async function runMode(
  mode: ModeResult, config: CapacityConfig, clipDir: string, held: Held, signal: AbortSignal,
  log: (m: string) => void, fail: (err: Error) => void,
): Promise<void> {
  const sfu = (held.sfu = await CapacitySfu.create(mode.workers, fail));
  const receiver = (held.receiver = await startChild<ReceiverReady, ReceiverSnapshot>(path.join(here, 'receiver.ts'), {
    sockets: config.sockets, bufferBytes: RECEIVE_BUFFER_BYTES,
  }));
  const setup: SenderSetup = {
    clipDir, port: sfu.ingress.tuple.localPort, videoSsrcs: sfu.videoSsrcs, videoPayloadType: VIDEO_PT, audioSsrc: sfu.audioSsrc, audioPayloadType: AUDIO_PT,
    pacingBytesPerMs: (config.pacingFactor * CAMERA_BITRATES.reduce((a, b) => a + b, 0)) / 8 / 1000,
  };
  const sender = (held.sender = await startChild<SenderReady, SenderStats>(path.join(here, 'sender.ts'), setup));
  mode.receiverSockets = receiver.ready.bufferBytes;
  mode.senderNice = sender.ready.nice;
  mode.senderNominalPps = sender.ready.nominalPps;
  log(`${mode.workers} worker(s): receiver sockets got ${receiver.ready.bufferBytes.map((b) => `${(b / 2 ** 20).toFixed(0)} MiB`).join(', ')}; sender nice ${sender.ready.nice}`);

  // Every counter carries the instant it was read: the /proc ones now, the helpers' when they
  // answer, the worker's own (over its channel) when it answers — late, when it is saturated.
  const snapshot = async (): Promise<Snapshot> => {
    const atMs = epochNow();
    const workerCpu = sfu.workerCpuMs();
    const local = {
      atMs, workerCpuMs: workerCpu.map((c) => c.userMs + c.systemMs), workerUserMs: workerCpu.map((c) => c.userMs),
      receiverCpuMs: processCpuMs(receiver.pid), senderCpuMs: processCpuMs(sender.pid), kernelDrops: udpReceiveBufferErrors(),
      machineBusyMs: machineBusyMs(), selfCpuMs: processCpuMs(process.pid), offLayer: sfu.offLayer(config.layer),
    };
    const [receiverSnap, senderStats] = await Promise.all([receiver.stats(), sender.stats()]);
    const [sampled, ingressLost] = await Promise.all([sfu.sentBySample(SAMPLE), sfu.ingressLost()]);
    return { ...local, receiver: receiverSnap, sender: senderStats, sampled: { ...sampled, atMs: epochNow() }, ingressLost };
  };

  for (const n of config.steps) {
    if (signal.aborted) break;
    await sfu.growTo(n, receiver.ready.ports, config.srtpSuite, config.layer);
    // Each new consumer starts at the next key frame of its layer: one every 2 s in the clip.
    await sleep(config.warmupS * 1000, signal);
    let step: StepResult | undefined;
    for (let attempt = 1; attempt <= MEASURE_ATTEMPTS && !signal.aborted; attempt++) {
      const before = await snapshot();
      await sleep(config.measureS * 1000, signal);
      if (signal.aborted) break;
      const window = stepResult(n, before, await snapshot(), sfu.streams);
      const noisy = disturbed({ ...window, nominalSenderPps: sender.ready.nominalPps });
      if (!step || (window.otherCpuPct ?? 0) < (step.otherCpuPct ?? 0)) step = { ...window, disturbed: noisy };
      step.attempts = attempt;
      if (!noisy) break;
      log(`  ${n} receivers, attempt ${attempt}: disturbed (others ${window.otherCpuPct?.toFixed(0) ?? '?'} % of a core, sender ${window.senderPps.toFixed(0)} pkt/s)`);
    }
    if (!step) break;
    mode.steps.push(step);
    log(`  ${n} receivers: worker CPU ${step.workerCpuPct.map((p) => `${p.toFixed(0)} %`).join(' + ')}, ${step.receivedPps.toFixed(0)} pkt/s, ` +
      `${step.usPerPacket.toFixed(1)} µs/pkt, loss ${(100 * step.loss).toFixed(3)} %, silent ${step.silentStreams}, ` +
      `ingress lost ${step.ingressLost}, off layer ${step.offLayer}, others ${step.otherCpuPct?.toFixed(0) ?? '?'} %${step.disturbed ? ' (disturbed)' : ''}, receiver CPU ${step.receiverCpuPct?.toFixed(0) ?? '?'} %, kernel drops ${step.kernelDrops ?? '?'}`);
    if (saturated(step)) {
      log(`  saturated at ${n} receivers; no larger steps`);
      break;
    }
  }
  release(held);
}
