/**
 * A composed recording on disk as the composition leaves it, made quickly with the real ffmpeg
 * (an 8 s test pattern with a tone, red for the first half and blue for the second; HLS cut
 * from it; chapters, thumbnail, status and event log), for tests of the replay's access and page.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const FIXTURE_RECORDING = '2026-11-27T01-00-00-000Z';
export const FIXTURE_T0 = Date.UTC(2026, 10, 27, 1, 0, 0);

export async function makeComposedRecording(recordingsDir: string, lectureId: string): Promise<string> {
  const dir = path.join(recordingsDir, lectureId, FIXTURE_RECORDING);
  const out = path.join(dir, 'replay');
  fs.mkdirSync(path.join(out, 'hls'), { recursive: true });
  const q = ['-nostdin', '-loglevel', 'error', '-y'];
  await run('ffmpeg', [...q,
    '-f', 'lavfi', '-i', 'color=c=red:s=640x360:r=25:d=4', '-f', 'lavfi', '-i', 'color=c=blue:s=640x360:r=25:d=4',
    '-f', 'lavfi', '-i', 'sine=f=440:d=8:sample_rate=48000',
    '-filter_complex', '[0:v][1:v]concat=n=2:v=1:a=0,format=yuv420p[v]', '-map', '[v]', '-map', '2:a',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-c:a', 'aac', '-movflags', '+faststart', path.join(out, 'replay.mp4')]);
  await run('ffmpeg', [...q, '-i', path.join(out, 'replay.mp4'), '-c', 'copy', '-f', 'hls', '-hls_time', '2', '-hls_playlist_type', 'vod',
    '-hls_segment_filename', path.join(out, 'hls', 'segment-%03d.ts'), path.join(out, 'hls', 'index.m3u8')]);
  await run('ffmpeg', [...q, '-ss', '1', '-i', path.join(out, 'replay.mp4'), '-frames:v', '1', path.join(out, 'thumbnail.jpg')]);
  fs.writeFileSync(path.join(out, 'chapters.vtt'), 'WEBVTT\n\nfloor-1\n00:00:04.500 --> 00:00:07.000\nLi Hua (kashgar-1)\n\npoll-1\n00:00:02.000 --> 00:00:03.500\nNoble gas?\n');
  const at = (s: number) => FIXTURE_T0 + s * 1000;
  fs.writeFileSync(path.join(out, 'compose.json'), JSON.stringify({
    state: 'ready', queued: false, progress: 1, reason: null, videoStartedAt: FIXTURE_T0, durationMs: 8_000,
    gaps: [{ fromMs: 6_000, toMs: 6_800, track: 'camera of Prof. Wang' }], chapters: 2, speed: 4,
    startedAt: at(20), updatedAt: at(22), finishedAt: at(22), owner: { host: 'fixture', pid: 1 },
  }));
  const events = [
    { at: at(0), type: 'recording.started', lectureId, title: 'Inorganic chemistry' },
    { at: at(1), type: 'chat', from: 'Li Hua', fromId: 'li', role: 'student', text: 'Is argon a noble gas?' },
    { at: at(2), type: 'poll.opened', pollId: 'p1', question: 'Noble gas?', options: ['N2', 'Ar'], multiple: false },
    { at: at(3.5), type: 'poll.closed', pollId: 'p1', question: 'Noble gas?', options: ['N2', 'Ar'], results: { perOption: [1, 4], respondents: 5 } },
    { at: at(4.5), type: 'floor.granted', participantId: 'li', displayName: 'Li Hua', site: 'kashgar-1', role: 'student' },
    { at: at(7), type: 'floor.revoked', participantId: 'li', displayName: 'Li Hua', site: 'kashgar-1' },
    { at: at(8), type: 'recording.stopped', reason: null },
  ];
  fs.writeFileSync(path.join(dir, 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return dir;
}
