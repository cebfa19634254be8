/**
 * The replay page in Chromium, as a student opening a replay link sees it: the video plays from
 * HLS, the chapters and the timeline are listed in Chinese and in English, a click on a chapter or
 * an event seeks the video there (the picture there is checked: red before 4 s, blue after), the
 * gaps and downloads are offered, and the page passes axe and the clipping check. A forged or
 * expired link says so.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintReplayToken } from '../../signaling/src/auth/replayTokens.ts';
import { expectAccessible } from '../helpers/axe.ts';
import { openTab, screenshot, type BrowserTab } from '../helpers/browser.ts';
import { clippedElements } from '../helpers/clipping.ts';
import { FIXTURE_RECORDING as REC, makeComposedRecording } from '../helpers/replayFixture.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

const LEC = 'chem-replay-e2e';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-e2e-replay-'));
let node: TestNode;
const tabs: BrowserTab[] = [];

beforeAll(async () => {
  await makeComposedRecording(root, LEC);
  node = await startTestNode({ recordingsDir: root });
}, 60_000);
afterAll(async () => {
  for (const tab of tabs) await tab.close();
  await node?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

async function open(token: string, label: string): Promise<Page> {
  const tab = await openTab(`${node.url}/replay/${LEC}/${REC}?t=${token}`, label);
  tabs.push(tab);
  return tab.page;
}

/** The colour of the middle of the video's current frame, drawn to a canvas. */
function colourAt(page: Page, label: string): Promise<string> {
  return page.getByLabel(label, { exact: true }).evaluate((v: HTMLVideoElement) => {
    const c = document.createElement('canvas');
    c.width = 16;
    c.height = 16;
    const g = c.getContext('2d')!;
    g.drawImage(v, 0, 0, 16, 16);
    const [r, gr, b] = g.getImageData(8, 8, 1, 1).data;
    return r! > 150 && gr! < 90 && b! < 90 ? 'red' : b! > 150 && r! < 90 && gr! < 90 ? 'blue' : `other(${r},${gr},${b})`;
  });
}

const currentTime = (page: Page, label: string) => page.getByLabel(label, { exact: true }).evaluate((v: HTMLVideoElement) => v.currentTime);

describe('replay page', () => {
  it('plays, lists chapters and events, and seeks by clicking them — in Chinese and in English', async () => {
    const token = mintReplayToken(node.config.jwtSecret, { sub: 'li', lec: LEC, rec: REC }, 3600);
    const page = await open(token, 'replay-zh');
    // The token left the address bar at once.
    expect(page.url()).toBe(`${node.url}/replay/${LEC}/${REC}`);
    await expect.poll(() => page.getByRole('heading', { name: '课程回放' }).isVisible(), { timeout: 20_000 }).toBe(true);
    const video = page.getByLabel('回放视频', { exact: true });
    await expect.poll(() => video.isVisible(), { timeout: 20_000 }).toBe(true);
    await page.getByRole('heading', { name: '章节' }).waitFor();

    // It plays: time advances from the HLS stream.
    await video.evaluate((v: HTMLVideoElement) => { v.muted = true; return v.play(); });
    await expect.poll(() => currentTime(page, '回放视频'), { timeout: 20_000 }).toBeGreaterThan(0.5);

    // The floor turn's chapter: 4.5 s into the video, where the picture is blue.
    await page.getByRole('button', { name: /发言：Li Hua \(kashgar-1\)/ }).click();
    await expect.poll(() => currentTime(page, '回放视频'), { timeout: 10_000 }).toBeGreaterThanOrEqual(4.5);
    await expect.poll(() => colourAt(page, '回放视频'), { timeout: 10_000 }).toBe('blue');
    await expect.poll(() => page.getByRole('button', { name: /发言：Li Hua/ }).getAttribute('aria-current'), { timeout: 10_000 }).toBe('true');

    // An event in the timeline: the poll's close at 3.5 s, red, with the results as they were.
    await video.evaluate((v: HTMLVideoElement) => v.pause());
    await page.getByRole('button', { name: /投票结束：Noble gas\? — N2 1 · Ar 4/ }).click();
    await expect.poll(() => currentTime(page, '回放视频'), { timeout: 10_000 }).toBeGreaterThanOrEqual(3.5);
    await video.evaluate((v: HTMLVideoElement) => v.pause());
    expect(await currentTime(page, '回放视频')).toBeLessThan(4);
    await expect.poll(() => colourAt(page, '回放视频'), { timeout: 10_000 }).toBe('red');
    expect(await page.getByRole('button', { name: /Li Hua：Is argon a noble gas\?/ }).isVisible()).toBe(true);
    expect(await page.getByText('0:06–0:06：camera of Prof. Wang').isVisible()).toBe(true);
    const mp4 = await page.getByRole('link', { name: '下载视频（MP4）' }).getAttribute('href');
    expect(mp4).toBe(`/api/recordings/${LEC}/${REC}/replay/replay.mp4?download=1&t=${token}`);
    const res = await fetch(`${node.url}${mp4}`);
    expect(res.headers.get('content-disposition')).toMatch(/attachment/);
    await res.arrayBuffer();
    // The MP4 itself plays in Chromium too (the player's fallback, and what a download gives).
    const played = await page.evaluate(async (src) => {
      const v = document.createElement('video');
      v.muted = true;
      v.src = src;
      await v.play();
      await new Promise((r) => setTimeout(r, 1_000));
      return { time: v.currentTime, width: v.videoWidth };
    }, `/api/recordings/${LEC}/${REC}/replay/replay.mp4?t=${token}`);
    expect(played.time).toBeGreaterThan(0.3);
    expect(played.width).toBe(640);
    await screenshot(page, 'replay-zh');
    await expectAccessible(page, 'replay page (zh-CN)');
    expect(await clippedElements(page)).toEqual([]);

    await page.getByTestId('language-select').selectOption('en');
    await page.getByRole('heading', { name: 'Lecture replay' }).waitFor();
    await page.getByRole('button', { name: /On the floor: Li Hua \(kashgar-1\)/ }).click();
    await expect.poll(() => currentTime(page, 'Replay video'), { timeout: 10_000 }).toBeGreaterThanOrEqual(4.5);
    expect(await page.getByRole('button', { name: /Poll closed: Noble gas\? — N2 1 · Ar 4/ }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Event log (CSV)' }).isVisible()).toBe(true);
    await screenshot(page, 'replay-en');
    await expectAccessible(page, 'replay page (en)');
    expect(await clippedElements(page)).toEqual([]);
  });

  it('tells the holder of an expired or forged link what is wrong', async () => {
    const expired = jwt.sign({ typ: 'replay', sub: 'li', lec: LEC, rec: REC, exp: Math.floor(Date.now() / 1000) - 5 }, node.config.jwtSecret);
    const page = await open(expired, 'replay-expired');
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 20_000 }).toBe('此回放链接已过期，请向主讲教师索取新链接。');
    const forged = mintReplayToken('wrong-secret', { sub: 'li', lec: LEC, rec: REC }, 3600);
    await page.goto(`${node.url}/replay/${LEC}/${REC}?t=${forged}`);
    await page.getByTestId('language-select').selectOption('en');
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 20_000 }).toBe('This replay link is not valid.');
  });
});
