/**
 * Composition with the real ffmpeg, from a recording folder laid out as capture writes it: a
 * lecturer camera in two segments (its recorder died in between), slides, a floor speaker, a
 * microphone and the event log. The composed picture is read back pixel by pixel.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComposeQueue } from './ComposeQueue.ts';
import { readStatus } from './compose.ts';
import { REGIONS } from './plan.ts';

const run = promisify(execFile);
const T0 = Date.UTC(2026, 10, 27, 1, 0, 0);
let root: string;

interface Track { name: string; kind: 'video' | 'audio'; source: string; role: string; who: string; from: number; to: number; colour?: string; producerId: string; segment?: number }

async function makeTrack(dir: string, t: Track): Promise<void> {
  const seconds = (t.to - t.from) / 1000;
  const input = t.kind === 'video'
    ? ['-f', 'lavfi', '-i', `color=c=${t.colour}:s=320x180:r=25:d=${seconds}`, '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '200k', '-g', '25']
    : ['-f', 'lavfi', '-i', `sine=f=440:d=${seconds}:sample_rate=48000`, '-c:a', 'libopus', '-b:a', '32k'];
  await run('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', ...input, path.join(dir, `${t.name}.webm`)]);
  fs.writeFileSync(path.join(dir, `${t.name}.json`), JSON.stringify({
    participantId: t.who, displayName: t.who === 'lec' ? '王老师' : '李同学', role: t.role, source: t.source, site: null,
    producerId: t.producerId, kind: t.kind, segment: t.segment ?? 1, startedAt: T0 + t.from, endedAt: T0 + t.to,
  }));
}

/** The composed picture's colour at (x, y) at `seconds`, as RGB. */
async function pixel(file: string, seconds: number, x: number, y: number): Promise<[number, number, number]> {
  const { stdout } = await run('ffmpeg', ['-nostdin', '-loglevel', 'error', '-ss', String(seconds), '-i', file, '-frames:v', '1',
    '-vf', `crop=2:2:${x}:${y}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer' });
  return [stdout[0]!, stdout[1]!, stdout[2]!];
}

const centre = (b: { x: number; y: number; width: number; height: number }): [number, number] => [b.x + b.width / 2, b.y + b.height / 2];
const dominant = ([r, g, b]: [number, number, number]): string => (r > 150 && g < 90 && b < 90 ? 'red' : g > 100 && r < 90 && b < 90 ? 'green' : b > 150 && r < 90 && g < 90 ? 'blue' : `other(${r},${g},${b})`);

let recording: string;
const queue = new ComposeQueue({ threads: 1, nice: 10 });

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-compose-'));
  recording = path.join(root, 'chem-101', '2026-11-27T01-00-00-000Z');
  fs.mkdirSync(recording, { recursive: true });
  const tracks: Track[] = [
    { name: 'camera-lec-001', kind: 'video', source: 'camera', role: 'lecturer', who: 'lec', from: 0, to: 8_000, colour: 'red', producerId: 'cam' },
    { name: 'camera-lec-002', kind: 'video', source: 'camera', role: 'lecturer', who: 'lec', from: 11_000, to: 20_000, colour: 'red', producerId: 'cam', segment: 2 },
    { name: 'screen-lec-001', kind: 'video', source: 'screen', role: 'lecturer', who: 'lec', from: 5_000, to: 15_000, colour: 'blue', producerId: 'scr' },
    { name: 'camera-stu-001', kind: 'video', source: 'camera', role: 'student', who: 'stu', from: 12_000, to: 18_000, colour: 'green', producerId: 'stucam' },
    { name: 'microphone-lec-001', kind: 'audio', source: 'microphone', role: 'lecturer', who: 'lec', from: 0, to: 20_000, producerId: 'mic' },
  ];
  await Promise.all(tracks.map((t) => makeTrack(recording, t)));
  const events = [
    { at: T0, type: 'recording.started' },
    { at: T0 + 12_000, type: 'floor.granted', participantId: 'stu', displayName: '李同学', site: 'kashgar-1' },
    { at: T0 + 16_000, type: 'poll.opened', pollId: 'q1', question: '哪种气体是惰性气体？' },
    { at: T0 + 18_000, type: 'floor.revoked', participantId: 'stu' },
    { at: T0 + 19_000, type: 'poll.closed', pollId: 'q1' },
    { at: T0 + 20_000, type: 'recording.stopped', reason: null },
  ];
  fs.writeFileSync(path.join(recording, 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
}, 60_000);

afterAll(() => {
  queue.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('composing a recording into its replay (real ffmpeg)', () => {
  it('joins a burst of requests for one recording into one composition and makes MP4, HLS, chapters and a thumbnail', async () => {
    const burst = await Promise.all(Array.from({ length: 5 }, () => queue.enqueue(recording)));
    expect(queue.started).toBe(1);
    const status = burst[0]!;
    expect(burst.every((s) => s === status)).toBe(true);
    expect(status).toMatchObject({ state: 'ready', progress: 1, reason: null, videoStartedAt: T0, durationMs: 20_000, chapters: 2 });
    expect(status.speed).toBeGreaterThan(0);
    expect(readStatus(recording)).toEqual(status);

    const replay = path.join(recording, 'replay');
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name:format=duration', '-of', 'json', path.join(replay, 'replay.mp4')]);
    const probe = JSON.parse(stdout) as { streams: { codec_name: string }[]; format: { duration: string } };
    expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    expect(Math.abs(Number(probe.format.duration) - 20)).toBeLessThan(1);

    const playlist = fs.readFileSync(path.join(replay, 'hls', 'index.m3u8'), 'utf8');
    expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(playlist).toContain('#EXT-X-ENDLIST');
    const segments = playlist.split('\n').filter((l) => l.endsWith('.ts'));
    expect(segments.length).toBeGreaterThanOrEqual(3);
    for (const s of segments) expect(fs.statSync(path.join(replay, 'hls', s)).size).toBeGreaterThan(0);

    expect(fs.readFileSync(path.join(replay, 'chapters.vtt'), 'utf8')).toBe(
      'WEBVTT\n\nfloor-1\n00:00:12.000 --> 00:00:18.000\n李同学 (kashgar-1)\n\npoll-1\n00:00:16.000 --> 00:00:19.000\n哪种气体是惰性气体？\n',
    );
    expect(fs.readFileSync(path.join(replay, 'thumbnail.jpg')).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  }, 180_000);

  it('lays the picture out from the timeline: lecturer large, then slides with the lecturer inset, the speaker while on the floor', async () => {
    const mp4 = path.join(recording, 'replay', 'replay.mp4');
    expect(dominant(await pixel(mp4, 3, ...centre(REGIONS.main)))).toBe('red');
    expect(dominant(await pixel(mp4, 7, ...centre(REGIONS.main)))).toBe('blue');
    expect(dominant(await pixel(mp4, 7, ...centre(REGIONS.lecturerInset)))).toBe('red');
    expect(dominant(await pixel(mp4, 14, ...centre(REGIONS.speaker[0]!)))).toBe('green');
    expect(dominant(await pixel(mp4, 17, ...centre(REGIONS.main)))).toBe('red'); // slides over, speaker back on the wall
    expect(dominant(await pixel(mp4, 17, ...centre(REGIONS.speaker[0]!)))).toBe('green');
    expect(dominant(await pixel(mp4, 19, ...centre(REGIONS.speaker[0]!)))).not.toBe('green');
  }, 60_000);

  it('lists where the lecturer camera\'s recorder died as a gap', () => {
    expect(readStatus(recording)!.gaps).toEqual([{ fromMs: 8_000, toMs: 11_000, track: 'camera of 王老师' }]);
  });

  it('fails a recording with nothing in it with a reason, and a second recording waits for the first', async () => {
    const empty = path.join(root, 'chem-101', '2026-11-27T02-00-00-000Z');
    fs.mkdirSync(empty);
    fs.writeFileSync(path.join(empty, 'events.jsonl'), `${JSON.stringify({ at: T0, type: 'recording.started' })}\n`);
    const again = path.join(root, 'chem-102', '2026-11-27T01-00-00-000Z');
    fs.cpSync(recording, again, { recursive: true });
    fs.rmSync(path.join(again, 'replay'), { recursive: true });
    const [first, second] = await Promise.all([queue.enqueue(again), queue.enqueue(empty)]);
    expect(first.state).toBe('ready');
    expect(second).toMatchObject({ state: 'failed', reason: 'nothing was recorded' });
    expect(second.startedAt).toBeGreaterThanOrEqual(first.finishedAt!);
  }, 180_000);
});
