/** Copy capture against real workers and real ffmpeg: the files, their codecs, their timing, supervision. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameWidths, lumaStats, packetSpan, streams } from '../../../tests/helpers/ffprobe.ts';
import { sfuConfig } from '../config.ts';
import { publishSimulcastWithFfmpeg } from '../../test-support/ffmpegSimulcast.ts';
import { publishWithFfmpeg, testClip, type FfmpegPublisher } from '../../test-support/ffmpegSource.ts';
import { MediasoupNode } from '../MediasoupNode.ts';
import { expectAppError, nextEvent } from '../../test-support/testSupport.ts';

let node: MediasoupNode;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-rec-'));
const publishers: { close(): void }[] = [];

beforeAll(async () => {
  node = await MediasoupNode.create(sfuConfig({ numWorkers: 1, rtcPort: 0 }));
  await testClip();
}, 60_000);
afterAll(async () => {
  for (const p of publishers) p.close();
  await node.close();
  fs.rmSync(root, { recursive: true, force: true });
});

async function lecture(): Promise<{ lectureId: string; pub: FfmpegPublisher; dir: string }> {
  const lectureId = randomUUID();
  await node.getRouterRtpCapabilities(lectureId);
  const pub = await publishWithFfmpeg(node, lectureId, 'lecturer');
  publishers.push(pub);
  return { lectureId, pub, dir: path.join(root, lectureId) };
}

const webmFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.webm')).sort() : []);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The ffmpeg writing `file`, found the way an operator would, by its command line. */
function ffmpegWriting(file: string): number | undefined {
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmd[0] === 'ffmpeg' && cmd.includes(file)) return Number(pid);
    } catch { /* exited meanwhile */ }
  }
  return undefined;
}

describe('recording a track without re-encoding', () => {
  it('writes VP8 and Opus WebM files as long as the wall-clock span, with pictures in them', async () => {
    const { lectureId, pub, dir } = await lecture();
    const meta = { participantId: 'lecturer', source: 'camera' };
    const startedAt = Date.now();
    await node.startRecording({ lectureId, producerId: pub.video.id, dir, stem: 'camera', meta });
    await node.startRecording({ lectureId, producerId: pub.audio.id, dir, stem: 'microphone', meta: { ...meta, source: 'microphone' } });
    // Starting again is a no-op, not a second file.
    await node.startRecording({ lectureId, producerId: pub.video.id, dir, stem: 'camera', meta });
    await sleep(10_000);
    const stoppedAt = Date.now();
    await Promise.all([node.stopRecording(lectureId, pub.video.id), node.stopRecording(lectureId, pub.audio.id)]);

    expect(webmFiles(dir)).toEqual(['camera-001.webm', 'microphone-001.webm']);
    const video = path.join(dir, 'camera-001.webm');
    const audio = path.join(dir, 'microphone-001.webm');
    expect(await streams(video)).toMatchObject([{ codec_type: 'video', codec_name: 'vp8', width: 320, height: 240 }]);
    expect(await streams(audio)).toMatchObject([{ codec_type: 'audio', codec_name: 'opus' }]);
    for (const file of [video, audio]) {
      // The sidecar's start is the clock the event log shares: the media must line up with it.
      const { startedAt: fileStart } = JSON.parse(fs.readFileSync(file.replace(/webm$/, 'json'), 'utf8')) as { startedAt: number };
      const wallSeconds = (stoppedAt - fileStart) / 1000;
      expect(wallSeconds).toBeGreaterThan(6); // ffmpeg may take a few seconds to start on a loaded machine
      const { seconds } = await packetSpan(file);
      expect(Math.abs(seconds - wallSeconds), `${path.basename(file)}: ${seconds}s of media in ${wallSeconds}s`).toBeLessThan(1.5);
    }
    const frames = await lumaStats(video);
    // 20 fps for every second of media, give or take the odd frame.
    expect(frames.length).toBeGreaterThan(19 * (await packetSpan(video)).seconds);
    // testsrc2 is colourful and moving: every frame has contrast, and the picture changes.
    expect(frames.every((f) => f.max - f.min > 100)).toBe(true);
    expect(new Set(frames.map((f) => Math.round(f.avg))).size).toBeGreaterThan(1);

    const sidecar = JSON.parse(fs.readFileSync(path.join(dir, 'camera-001.json'), 'utf8'));
    expect(sidecar).toMatchObject({ participantId: 'lecturer', source: 'camera', codec: 'video/VP8', segment: 1, file: 'camera-001.webm' });
    expect(sidecar.startedAt).toBeGreaterThanOrEqual(startedAt);
    expect(sidecar.startedAt).toBeLessThan(stoppedAt - 6_000);
    expect(sidecar.endedAt).toBeGreaterThan(sidecar.startedAt);
  });

  it('records the top layer of a simulcast camera', async () => {
    const lectureId = randomUUID();
    await node.getRouterRtpCapabilities(lectureId);
    const pub = await publishSimulcastWithFfmpeg(node, lectureId, 'lecturer');
    publishers.push(pub);
    // As when a lecturer has been on camera a while: every layer flowing (else the consumer takes
    // whichever layer is up first, and moves up once the top one arrives).
    await expect.poll(async () => (await pub.producer.getStats()).filter((st) => st.score > 0).length, { timeout: 15_000 }).toBe(3);
    const dir = path.join(root, lectureId);
    await node.startRecording({ lectureId, producerId: pub.producer.id, dir, stem: 'camera', meta: {} });
    const file = path.join(dir, 'camera-001.webm');
    await expect.poll(() => fs.existsSync(file) && fs.statSync(file).size > 60_000, { timeout: 20_000 }).toBe(true);
    await node.stopRecording(lectureId, pub.producer.id);
    expect(await streams(file)).toMatchObject([{ codec_name: 'vp8', width: 640, height: 480 }]);
    const widths = await frameWidths(file);
    expect(widths.length).toBeGreaterThan(20);
    expect(new Set(widths)).toEqual(new Set([640]));
  });

  it('starts a new segment when ffmpeg dies, the first stays playable, and the replay lists the gap', async () => {
    const { lectureId, pub, dir } = await lecture();
    const meta = { participantId: 'prof', displayName: 'Prof. Wang', role: 'lecturer', source: 'camera' };
    await node.startRecording({ lectureId, producerId: pub.video.id, dir, stem: 'camera', meta });
    const first = path.join(dir, 'camera-001.webm');
    await expect.poll(() => fs.existsSync(first) && fs.statSync(first).size > 80_000, { timeout: 15_000 }).toBe(true);
    const pid = ffmpegWriting(first);
    expect(pid).toBeDefined();
    const killedAt = Date.now();
    process.kill(pid!, 'SIGKILL');

    const second = path.join(dir, 'camera-002.webm');
    await expect.poll(() => fs.existsSync(second) && fs.statSync(second).size > 2_048, { timeout: 15_000 }).toBe(true);
    expect(Date.now() - killedAt).toBeLessThan(8_000);
    await node.stopRecording(lectureId, pub.video.id);

    // Killed without a trailer: still a VP8 file ffprobe reads, with seconds of decodable pictures.
    expect(await streams(first)).toMatchObject([{ codec_name: 'vp8' }]);
    expect((await packetSpan(first)).seconds).toBeGreaterThan(1);
    expect((await lumaStats(first)).length).toBeGreaterThan(20);
    expect(await streams(second)).toMatchObject([{ codec_name: 'vp8' }]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'camera-001.json'), 'utf8'))).toMatchObject({ exit: 'SIGKILL', segment: 1 });

    // Composed, both segments are in the replay and the seconds between them are listed.
    const replay = await node.composeRecording(dir);
    expect(replay).toMatchObject({ state: 'ready', reason: null });
    expect(replay.gaps).toHaveLength(1);
    const [gap] = replay.gaps;
    expect(gap!.track).toBe('camera of Prof. Wang');
    expect(gap!.toMs - gap!.fromMs).toBeGreaterThan(500);
    expect(gap!.toMs - gap!.fromMs).toBeLessThan(8_000);
    const mp4 = path.join(dir, 'replay', 'replay.mp4');
    expect((await streams(mp4)).map((st) => st.codec_name)).toEqual(['h264', 'aac']);
    expect(Math.abs((await packetSpan(mp4)).seconds * 1000 - replay.durationMs!)).toBeLessThan(1_000);
  }, 60_000);

  it('ends the recording when the producer closes, and refuses an unwritable directory', async () => {
    const { lectureId, pub, dir } = await lecture();
    await node.startRecording({ lectureId, producerId: pub.audio.id, dir, stem: 'microphone', meta: {} });
    const file = path.join(dir, 'microphone-001.webm');
    await expect.poll(() => fs.existsSync(file) && fs.statSync(file).size > 2_048, { timeout: 15_000 }).toBe(true);
    await node.closeProducer(lectureId, pub.audio.id);
    await expect.poll(() => JSON.parse(fs.readFileSync(path.join(dir, 'microphone-001.json'), 'utf8')).endedAt, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(webmFiles(dir)).toEqual(['microphone-001.webm']);
    expect(await streams(file)).toMatchObject([{ codec_name: 'opus' }]);

    // A path under a regular file cannot be created, not even by root.
    const blocker = path.join(root, 'not-a-directory');
    fs.writeFileSync(blocker, '');
    const err = await expectAppError(node.startRecording({ lectureId, producerId: pub.video.id, dir: path.join(blocker, 'rec'), stem: 'camera', meta: {} }), 'UNAVAILABLE');
    expect(err.message).toMatch(/recording directory cannot be written/);
    await expectAppError(node.startRecording({ lectureId, producerId: pub.video.id, dir, stem: '../escape', meta: {} }), 'BAD_REQUEST');
    await expectAppError(node.startRecording({ lectureId, producerId: 'nope', dir, stem: 'x', meta: {} }), 'NOT_FOUND');
  });

  it('gives up with recordingFailed when ffmpeg cannot write at all', async () => {
    const { lectureId, pub, dir } = await lecture();
    fs.mkdirSync(dir, { recursive: true });
    // The directory is writable but the file name is taken by a directory: ffmpeg fails every time.
    for (let n = 1; n <= 5; n++) fs.mkdirSync(path.join(dir, `camera-${String(n).padStart(3, '0')}.webm`));
    const failed = nextEvent(node, 'recordingFailed', (e) => e.producerId === pub.video.id, 20_000);
    await node.startRecording({ lectureId, producerId: pub.video.id, dir, stem: 'camera', meta: {} });
    expect((await failed).message).toMatch(/ffmpeg failed 3 times/);
  });
});
