/**
 * From a live lecture to its replay, all real: Chromium lecturer and student, mediasoup, ffmpeg.
 * The lecturer records; a student (whose camera shows plain magenta) is given the floor and turns
 * the camera on; the lecturer stops recording. The lecturer's Recordings tab shows the replay
 * being made, then ready; a replay link opens the replay page, and the floor turn's chapter shows
 * the speaker's picture in the composed video — in Chinese and in English.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGIONS } from '../../sfu-server/src/recording/compose/plan.ts';
import { expectAccessible } from '../helpers/axe.ts';
import { eventually, openTab, screenshot, type BrowserTab } from '../helpers/browser.ts';
import { lumaStats, packetSpan, streams } from '../helpers/ffprobe.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

const lectureId = 'replay-lecture';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-e2e-replay-lecture-'));
const magenta = path.join(dir, 'magenta.y4m');
let node: TestNode;
const tabs: BrowserTab[] = [];
type PageState = { joined: boolean; producers: { source: string }[] };
const sources = async (p: Page) => ((await p.evaluate(() => window.__tongtang!.state())) as PageState).producers.map((x) => x.source);

async function open(url: string, label: string, args: string[] = []): Promise<Page> {
  const tab = await openTab(url, label, { args, viewport: { width: 1280, height: 800 } });
  tabs.push(tab);
  return tab.page;
}

async function join(opts: Parameters<TestNode['token']>[0], label: string, args: string[] = []): Promise<Page> {
  const page = await open(`${node.url}/?token=${node.token({ lectureId, ...opts })}`, label, args);
  await eventually(() => page.evaluate(() => window.__tongtang!.state()) as Promise<PageState>, (s) => s.joined, 30_000, `${label} joined`);
  return page;
}

/** Is the composed picture magenta at the floor speaker's place (the video's own pixels, drawn to a canvas)? */
function speakerColour(page: Page, label: string): Promise<string> {
  const { x, y, width, height } = REGIONS.speaker[0]!;
  return page.getByLabel(label, { exact: true }).evaluate((v: HTMLVideoElement, at: { x: number; y: number }) => {
    const c = document.createElement('canvas');
    c.width = v.videoWidth;
    c.height = v.videoHeight;
    const g = c.getContext('2d')!;
    g.drawImage(v, 0, 0);
    const [r, gr, b] = g.getImageData(at.x, at.y, 1, 1).data;
    return r! > 150 && gr! < 100 && b! > 150 ? 'magenta' : `other(${r},${gr},${b})`;
  }, { x: x + width / 2, y: y + height / 2 });
}

beforeAll(async () => {
  execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=magenta:s=640x360:r=15', '-t', '1', '-pix_fmt', 'yuv420p', magenta]);
  // Two encoder threads: the composition is the slow part of this test on a busy machine.
  node = await startTestNode({ recordingsDir: path.join(dir, 'recordings') }, { SFU_WORKERS: '1', COMPOSE_THREADS: '2' });
}, 60_000);
afterAll(async () => {
  for (const tab of tabs) await tab.close();
  await node?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a recorded lecture becomes a replay', () => {
  it('records a floor turn, composes it, and the replay shows the speaker at the speaker\'s chapter', async () => {
    const lecturer = await join({ role: 'lecturer', name: '王教授', subject: 'prof' }, 'replay-lecturer');
    await lecturer.getByRole('button', { name: '开始直播' }).click();
    await lecturer.getByTestId('toggle-camera').click();
    await lecturer.getByTestId('toggle-microphone').click();
    await eventually(() => sources(lecturer), (s) => s.includes('camera') && s.includes('microphone'), 30_000, 'lecturer camera and microphone');
    const student = await join({ role: 'student', name: '李华', subject: 'li' }, 'replay-student', [`--use-file-for-fake-video-capture=${magenta}`]);
    await lecturer.getByRole('button', { name: '开始录制' }).click();
    await expect.poll(() => lecturer.getByRole('status', { name: '正在录制' }).isVisible(), { timeout: 15_000 }).toBe(true);
    await new Promise((r) => setTimeout(r, 4_000));

    await student.getByRole('button', { name: '举手' }).click();
    const entry = lecturer.getByTestId('hand-queue').getByRole('listitem').filter({ hasText: '李华' });
    await entry.getByRole('button', { name: /邀请发言/ }).click();
    await student.getByRole('group', { name: /主讲教师请您发言/ }).getByRole('button', { name: '打开摄像头' }).click({ timeout: 20_000 });
    await eventually(() => sources(student), (s) => s.includes('camera'), 20_000, 'student camera on the floor');
    await new Promise((r) => setTimeout(r, 8_000));
    await lecturer.getByRole('button', { name: '停止录制' }).click();
    await expect.poll(() => lecturer.getByRole('status', { name: '正在录制' }).isVisible(), { timeout: 15_000 }).toBe(false);

    // The raw tracks: the lecturer's camera and microphone for the whole recording, the speaker's
    // from the grant on; VP8 and Opus, as long as their wall-clock span, with real pictures.
    const [stamp] = fs.readdirSync(path.join(dir, 'recordings', lectureId));
    const folder = path.join(dir, 'recordings', lectureId, stamp!);
    const tracks = fs.readdirSync(folder).filter((f) => f.endsWith('.webm')).sort();
    expect(tracks.map((f) => f.split('-').slice(0, 2).join('-'))).toEqual(['camera-li', 'camera-prof', 'microphone-li', 'microphone-prof']);
    for (const f of tracks) {
      const file = path.join(folder, f);
      const sidecar = JSON.parse(fs.readFileSync(file.replace(/webm$/, 'json'), 'utf8')) as { startedAt: number; endedAt: number };
      expect((await streams(file)).map((st) => st.codec_name)).toEqual([f.startsWith('camera') ? 'vp8' : 'opus']);
      const { seconds } = await packetSpan(file);
      const wall = (sidecar.endedAt - sidecar.startedAt) / 1000;
      expect(Math.abs(seconds - wall), `${f}: ${seconds} s of media in ${wall} s`).toBeLessThan(1);
      if (f.startsWith('camera-prof')) expect((await lumaStats(file)).every((fr) => fr.max - fr.min > 50)).toBe(true);
    }

    // The lecturer's Recordings tab: being made, then ready, with a link to share.
    await lecturer.getByRole('tab', { name: '录制' }).click();
    const list = lecturer.getByRole('region', { name: '录制' });
    await expect.poll(() => list.getByText('回放已就绪').isVisible(), { timeout: 180_000, interval: 1_000 }).toBe(true);
    await list.getByRole('button', { name: '生成回放链接' }).click();
    const url = await list.getByRole('textbox', { name: /回放链接/ }).inputValue();
    expect(url).toMatch(new RegExp(`^${node.url}/replay/${lectureId}/[0-9T-]+Z\\?t=[\\w.-]+$`));
    await expectAccessible(lecturer, 'lecturer recordings tab (zh-CN)');
    await screenshot(lecturer, 'replay-lecturer-recordings');

    // Anyone with the link: the replay page, the speaker's chapter, the speaker's picture.
    const viewer = await open(url, 'replay-viewer');
    const video = viewer.getByLabel('回放视频', { exact: true });
    await expect.poll(() => video.isVisible(), { timeout: 20_000 }).toBe(true);
    await video.evaluate((v: HTMLVideoElement) => { v.muted = true; });
    await viewer.getByRole('button', { name: /发言：李华/ }).click();
    await expect.poll(() => speakerColour(viewer, '回放视频'), { timeout: 20_000, interval: 250 }).toBe('magenta');
    await screenshot(viewer, 'replay-speaker-zh');

    await viewer.getByTestId('language-select').selectOption('en');
    await viewer.getByLabel('Replay video', { exact: true }).evaluate((v: HTMLVideoElement) => { v.pause(); v.currentTime = 0; });
    await viewer.getByRole('button', { name: /On the floor: 李华/ }).click();
    await expect.poll(() => speakerColour(viewer, 'Replay video'), { timeout: 20_000, interval: 250 }).toBe('magenta');
    expect(await viewer.getByRole('button', { name: /李华 took the floor/ }).isVisible()).toBe(true);
  }, 300_000);
});
