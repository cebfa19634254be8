/**
 * What copy capture costs the media worker: --lectures lectures on one worker, each with two
 * publishers (a 640x360 VP8 camera and a 1280x720 VP8 "screen", each with Opus: four tracks, the
 * program plus a floor speaker's microphone), measured for --seconds without recording, then with
 * every track recorded. Prints the worker's CPU both ways, the recorders' CPU and the disk written,
 * and how many such lectures fit under 10 % of a core of extra worker CPU.
 *   npm run bench:recording -- --lectures 4,8 --seconds 20
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MediasoupNode, sfuConfig } from '../../src/index.ts';
import { publishWithFfmpeg, testClip, type FfmpegPublisher } from '../../test-support/ffmpegSource.ts';
import { cpuMsOf, pidsMatching } from './procCpu.ts';

const { values } = parseArgs({ options: { lectures: { type: 'string', default: '4,8' }, seconds: { type: 'string', default: '20' } } });
const windowMs = Number(values.seconds) * 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Percent of one core a set of processes used over `ms`. */
async function measure(pids: () => number[], ms: number): Promise<number> {
  const before = new Map(pids().map((p) => [p, cpuMsOf(p)]));
  await sleep(ms);
  let used = 0;
  for (const [pid, cpu] of before) used += cpuMsOf(pid) - cpu;
  return (100 * used) / ms;
}

const dirBytes = (dir: string): number => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).reduce<number>((sum, f) => {
  const st = fs.statSync(path.join(dir, String(f)));
  return st.isFile() ? sum + st.size : sum;
}, 0) : 0);

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-capture-bench-'));
const [camera, screen] = await Promise.all([testClip(640, 360), testClip(1280, 720)]);
console.log(`# copy capture, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${windowMs / 1000} s windows, load ${os.loadavg()[0]!.toFixed(2)}`);
console.log('lectures | tracks | worker CPU, not recording | worker CPU, recording | extra per lecture | recorders\' ffmpeg CPU | disk MB per hour | lectures under +10 %');
try {
  for (const n of values.lectures.split(',').map(Number)) {
    const node = await MediasoupNode.create(sfuConfig({ numWorkers: 1, rtcPort: 0 }));
    const publishers: FfmpegPublisher[] = [];
    const dir = path.join(root, `n${n}`);
    try {
      const worker = () => node.health().workers.map((w) => w.pid);
      const lectures: string[] = [];
      for (let i = 0; i < n; i++) {
        const lectureId = `bench-${n}-${i}`;
        await node.getRouterRtpCapabilities(lectureId);
        publishers.push(await publishWithFfmpeg(node, lectureId, 'lecturer', 'camera', camera));
        publishers.push(await publishWithFfmpeg(node, lectureId, 'speaker', 'screen', screen));
        lectures.push(lectureId);
      }
      await sleep(3_000);
      const idle = await measure(worker, windowMs);
      let tracks = 0;
      for (const [i, lectureId] of lectures.entries()) {
        for (const pub of publishers.slice(2 * i, 2 * i + 2)) {
          for (const p of [pub.video, pub.audio]) {
            await node.startRecording({ lectureId, producerId: p.id, dir: path.join(dir, lectureId), stem: `${p.kind}-${p.id.slice(0, 8)}`, meta: {} });
            tracks++;
          }
        }
      }
      await sleep(3_000);
      const bytes0 = dirBytes(dir);
      const recorders = () => pidsMatching('tongtang-rec-');
      const [recording, ffmpeg] = await Promise.all([measure(worker, windowMs), measure(recorders, windowMs)]);
      const mbPerHour = ((dirBytes(dir) - bytes0) / 1e6) * (3_600_000 / windowMs);
      const extra = (recording - idle) / n;
      console.log(`${n} | ${tracks} | ${idle.toFixed(1)} % | ${recording.toFixed(1)} % | ${extra.toFixed(2)} % | ${ffmpeg.toFixed(1)} % | ${mbPerHour.toFixed(0)} | ${extra > 0 ? Math.floor(10 / extra) : '∞'}`);
    } finally {
      for (const p of publishers) p.close();
      await node.close();
    }
  }
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
