/**
 * How many transcoded classrooms one node sustains: ingests are added one at a time on a real
 * MediaGateway (a 1280x720 H.264/AAC camera clip looped in real time, as a lecture-capture host
 * sends), and after each one every ingest's output is counted where a viewer would get it (a
 * PlainTransport consumer of its VP8 producer). The ramp stops when any classroom's delivered
 * frame rate falls under 90 % of the target, the gateway's own processes use 95 % of the cores, or
 * the bounds (classrooms, minutes) are hit.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sfuConfig } from '../../src/config.ts';
import { DEFAULT_ENCODE } from '../../src/gateway/ffmpegArgs.ts';
import { MediaGateway } from '../../src/gateway/MediaGateway.ts';
import { MediasoupNode } from '../../src/MediasoupNode.ts';
import { FakeClient } from '../../test-support/fakeClient.ts';
import { tapRtp, type RtpTap } from '../../test-support/plainRtp.ts';
import { cpuMsOf, pidsMatching } from '../recording/procCpu.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RampStep {
  classrooms: number;
  /** Frames per second delivered to a viewer, per classroom, over the window. */
  fps: number[];
  /** Percent of one core: all ingest ffmpegs together, and the mediasoup worker. */
  ffmpegCpu: number;
  workerCpu: number;
  /** Percent of the whole host busy (all processes, all cores) over the window. */
  hostBusy: number;
}

export interface RampOptions { clip: string; maxClassrooms: number; settleMs: number; windowMs: number; deadlineMs: number }

/** Host-wide busy and total jiffies from /proc/stat. */
function hostTicks(): { busy: number; total: number } {
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3]! + cpu[4]!; // idle + iowait
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** Distinct RTP timestamps (one per video frame) of the consumed stream that arrived after `since`. */
function framesSince(tap: RtpTap, since: bigint): number {
  const ssrc = tap.consumer.rtpParameters.encodings![0]!.ssrc;
  return new Set(tap.packets.filter((p) => p.ssrc === ssrc && p.at >= since).map((p) => p.timestamp)).size;
}

export async function rampClassrooms(opts: RampOptions, onStep: (step: RampStep) => void): Promise<RampStep[]> {
  // A copy under a name of this run only, so the CPU count finds our ffmpegs and not those of tests
  // running beside the bench on the same clip.
  const clip = path.join(os.tmpdir(), `tt-gateway-bench-${process.pid}${path.extname(opts.clip)}`);
  fs.copyFileSync(opts.clip, clip);
  const node = await MediasoupNode.create(sfuConfig({ numWorkers: 1, rtcPort: 0 }));
  const gateway = new MediaGateway(node);
  const taps: RtpTap[] = [];
  const steps: RampStep[] = [];
  const started = Date.now();
  const target = DEFAULT_ENCODE.fps;
  try {
    const workerPid = node.health().workers[0]!.pid;
    for (let n = 1; n <= opts.maxClassrooms && Date.now() - started < opts.deadlineMs; n += 1) {
      const lectureId = randomUUID();
      await FakeClient.join(node, lectureId, 'lecturer');
      const ingest = await gateway.playFile(lectureId, `room-${n}`, clip);
      taps.push(await tapRtp(node, lectureId, ingest.video.producer.id));
      await sleep(opts.settleMs);

      const ffmpegs = pidsMatching(clip).filter((pid) => pid !== process.pid);
      const cpuBefore = new Map([workerPid, ...ffmpegs].map((pid) => [pid, cpuMsOf(pid)]));
      const hostBefore = hostTicks();
      const since = process.hrtime.bigint();
      await sleep(opts.windowMs);
      const hostAfter = hostTicks();
      const used = (pid: number) => ((cpuMsOf(pid) - cpuBefore.get(pid)!) * 100) / opts.windowMs;
      const step: RampStep = {
        classrooms: n,
        fps: taps.map((t) => (framesSince(t, since) * 1000) / opts.windowMs),
        ffmpegCpu: ffmpegs.reduce((sum, pid) => sum + used(pid), 0),
        workerCpu: used(workerPid),
        hostBusy: (100 * (hostAfter.busy - hostBefore.busy)) / (hostAfter.total - hostBefore.total),
      };
      steps.push(step);
      onStep(step);
      // Saturation is judged on the gateway's own processes: the host is shared, so its busy share
      // includes other people's work (reported, not used to stop).
      const ownShare = (step.ffmpegCpu + step.workerCpu) / (100 * os.cpus().length);
      if (Math.min(...step.fps) < 0.9 * target || ownShare > 0.95) break;
    }
  } finally {
    for (const t of taps) t.close();
    gateway.closeAll();
    await node.close();
    fs.rmSync(clip, { force: true });
  }
  return steps;
}
