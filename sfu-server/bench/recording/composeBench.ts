/**
 * Composition speed and CPU: a synthetic lecture of --minutes (lecturer camera throughout,
 * slides from 20 % to 80 %, a floor speaker from 40 % to 60 %, the lecturer microphone; tracks
 * cut from a looped VP8/Opus clip without re-encoding, so making them is instant) composed into
 * its replay --runs times per thread count. Prints × real time and CPU seconds per media minute.
 *   npm run bench:compose -- --minutes 5 --runs 3 --threads 1,2
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { composeRecording } from '../../src/recording/compose/index.ts';
import { testClip } from '../../test-support/ffmpegSource.ts';
import { childrenCpuMs } from './procCpu.ts';

const run = promisify(execFile);
const { values } = parseArgs({ options: {
  minutes: { type: 'string', default: '5' }, runs: { type: 'string', default: '3' }, threads: { type: 'string', default: '1,2' },
} });
const minutes = Number(values.minutes);
const totalMs = minutes * 60_000;
const T0 = Date.UTC(2026, 10, 27);

async function track(dir: string, clip: string, name: string, meta: Record<string, unknown>, kind: 'video' | 'audio', fromMs: number, toMs: number): Promise<void> {
  const file = path.join(dir, `${name}.webm`);
  await run('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', '-stream_loop', '-1', '-i', clip, '-t', String((toMs - fromMs) / 1000),
    '-map', kind === 'video' ? '0:v' : '0:a', '-c', 'copy', file]);
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({ ...meta, kind, producerId: name, segment: 1, startedAt: T0 + fromMs, endedAt: T0 + toMs }));
}

async function lecture(dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const [camera, slides] = await Promise.all([testClip(640, 360), testClip(1280, 720)]);
  const lecturer = { participantId: 'prof', displayName: 'Prof. Wang', role: 'lecturer' };
  const student = { participantId: 'li', displayName: 'Li Hua', role: 'student' };
  await Promise.all([
    track(dir, camera, 'camera-prof', { ...lecturer, source: 'camera' }, 'video', 0, totalMs),
    track(dir, camera, 'microphone-prof', { ...lecturer, source: 'microphone' }, 'audio', 0, totalMs),
    track(dir, slides, 'screen-prof', { ...lecturer, source: 'screen' }, 'video', totalMs * 0.2, totalMs * 0.8),
    track(dir, camera, 'camera-li', { ...student, source: 'camera' }, 'video', totalMs * 0.4, totalMs * 0.6),
    track(dir, camera, 'microphone-li', { ...student, source: 'microphone' }, 'audio', totalMs * 0.4, totalMs * 0.6),
  ]);
  const events = [
    { at: T0, type: 'recording.started' },
    { at: T0 + totalMs * 0.4, type: 'floor.granted', participantId: 'li', displayName: 'Li Hua', site: 'online' },
    { at: T0 + totalMs * 0.6, type: 'floor.revoked', participantId: 'li' },
    { at: T0 + totalMs, type: 'recording.stopped' },
  ];
  fs.writeFileSync(path.join(dir, 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-compose-bench-'));
try {
  const dir = path.join(root, 'bench', '2026-11-27T00-00-00-000Z');
  await lecture(dir);
  console.log(`# composition of a ${minutes}-minute lecture, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load ${os.loadavg()[0]!.toFixed(2)}`);
  console.log('threads | run | wall s | × real time | CPU s | CPU s per media minute | MP4 MB');
  for (const threads of values.threads.split(',').map(Number)) {
    for (let i = 1; i <= Number(values.runs); i++) {
      fs.rmSync(path.join(dir, 'replay'), { recursive: true, force: true });
      const cpu0 = childrenCpuMs();
      const t0 = performance.now();
      const status = await composeRecording(dir, { threads, nice: 10 });
      const wall = performance.now() - t0;
      const cpu = childrenCpuMs() - cpu0;
      if (status.state !== 'ready') throw new Error(`composition failed: ${status.reason}`);
      const mb = fs.statSync(path.join(dir, 'replay', 'replay.mp4')).size / 1e6;
      console.log(`${threads} | ${i} | ${(wall / 1000).toFixed(1)} | ${(totalMs / wall).toFixed(2)} | ${(cpu / 1000).toFixed(1)} | ${(cpu / 1000 / minutes).toFixed(2)} | ${mb.toFixed(1)}`);
    }
  }
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
