/**
 * What the media gateway costs (issue 15): CPU of one ingested stream, transcoded to VP8 as the
 * gateway does versus H.264 passed through, and how many transcoded classrooms one node carries
 * before frames drop, and the latency it adds (latency.ts). Each part runs --runs times; the summary gives mean and spread (min–max).
 *   npm run bench:gateway -- --runs 3 --seconds 8 --max 8
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { hardwareClip } from '../../test-support/testClips.ts';
import { rampClassrooms, type RampStep } from './capacity.ts';
import { ffmpegCpu, modeArgs, type StreamMode } from './cpuPerStream.ts';
import { gatewayLatency } from './latency.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '8' },
    max: { type: 'string', default: '8' },
    'ramp-minutes': { type: 'string', default: '4' },
    'latency-seconds': { type: 'string', default: '24' },
  },
});
const runs = Number(values.runs);
const windowMs = Number(values.seconds) * 1000;

const spread = (xs: number[], digits = 1): string => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return `${mean.toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
};

console.log(`# media gateway bench: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${runs} runs, ${windowMs / 1000} s windows, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

// Part 1: one stream's ffmpeg on its own.
const modes: StreamMode[] = ['transcode VP8 simulcast 180p+360p + Opus', 'transcode VP8 640x360 + Opus', 'H.264 copy, audio to Opus', 'H.264 copy, no audio'];
const perStream = new Map<string, number[]>();
for (let run = 1; run <= runs; run += 1) {
  for (const [kind, size] of [['h264-aac', '640x360'], ['h264-aac-720p', '1280x720']] as const) {
    const clip = await hardwareClip(kind);
    for (const mode of modes) {
      const cpu = await ffmpegCpu(modeArgs(mode, clip, 47000), 2000, windowMs);
      const key = `${size} camera, ${mode}`;
      perStream.set(key, [...(perStream.get(key) ?? []), cpu]);
      console.log(`run ${run}: ${key}: ${cpu.toFixed(1)} % of a core`);
    }
  }
}

// Part 2: ramp transcoded classrooms on a real gateway until frames drop.
const ramps: RampStep[][] = [];
for (let run = 1; run <= runs; run += 1) {
  const clip = await hardwareClip('h264-aac-720p');
  console.log(`run ${run}: ramp of 1280x720 cameras, load ${os.loadavg()[0]!.toFixed(1)}`);
  ramps.push(await rampClassrooms(
    { clip, maxClassrooms: Number(values.max), settleMs: 4000, windowMs, deadlineMs: Number(values['ramp-minutes']) * 60_000 },
    (s) => console.log(`  ${s.classrooms} classrooms: fps min ${Math.min(...s.fps).toFixed(1)} mean ${(s.fps.reduce((a, b) => a + b, 0) / s.fps.length).toFixed(1)}, `
      + `ffmpeg ${s.ffmpegCpu.toFixed(0)} %, worker ${s.workerCpu.toFixed(1)} %, host busy ${s.hostBusy.toFixed(0)} %`),
  ));
}

// Part 3: latency the gateway adds, one classroom.
const latencies: number[][] = [];
for (let run = 1; run <= runs; run += 1) {
  console.log(`run ${run}: latency, load ${os.loadavg()[0]!.toFixed(1)}`);
  const ms = (await gatewayLatency(Number(values['latency-seconds']))).sort((a, b) => a - b);
  latencies.push(ms);
  console.log(`  ${ms.map((x) => x.toFixed(0)).join(' ')} ms`);
}

const median = (xs: number[]) => xs[Math.floor(xs.length / 2)] ?? NaN;
console.log('\n## summary: mean (min–max) over runs');
for (const [key, xs] of perStream) console.log(`${key}: ${spread(xs)} % of a core`);
/** The last step where every classroom still got >= 90 % of the frame rate. */
const sustained = ramps.map((steps) => [...steps].reverse().find((s) => Math.min(...s.fps) >= 22.5)?.classrooms ?? 0);
console.log(`classrooms sustained at >= 90 % of 25 fps: ${sustained.join(', ')} (ramp stopped at: ${ramps.map((s) => s.at(-1)?.classrooms).join(', ')})`);
for (let n = 1; n <= Math.max(...ramps.map((s) => s.length)); n += 1) {
  const at = ramps.map((steps) => steps.find((s) => s.classrooms === n)).filter((s) => s !== undefined);
  console.log(`${n} classrooms (${at.length} runs): min fps ${spread(at.map((s) => Math.min(...s.fps)))}, ffmpeg ${spread(at.map((s) => s.ffmpegCpu), 0)} %, `
    + `per classroom ${spread(at.map((s) => s.ffmpegCpu / n), 0)} %, worker ${spread(at.map((s) => s.workerCpu))} %, host busy ${spread(at.map((s) => s.hostBusy), 0)} %`);
}
const withCuts = latencies.filter((l) => l.length > 0);
console.log(`gateway latency per run (ms): ${latencies.map((l) => l.length ? `min ${l[0]!.toFixed(0)} median ${median(l).toFixed(0)} max ${l.at(-1)!.toFixed(0)} (n=${l.length})` : 'no cuts matched').join('; ')}`);
if (withCuts.length) console.log(`gateway latency, median of run medians: ${spread(withCuts.map(median), 0)} ms, best case ${spread(withCuts.map((l) => l[0]!), 0)} ms`);
