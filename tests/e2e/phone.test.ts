/**
 * A remote student on a phone, in Chromium with phone viewports and touch (portrait and
 * landscape, 375×812 and 412×915): no sideways scrolling, the lecture video on screen, and hand,
 * reactions, chat, polls and the floor controls a tap away; sound needs a tap, as on a real
 * phone, and the prompt for it is there. Screenshots for each size; the axe check holds.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../helpers/axe.ts';
import { eventually, openTab, screenshot, type BrowserTab } from '../helpers/browser.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

const lectureId = 'phone';
const SIZES = [
  { name: '375x812', width: 375, height: 812 },
  { name: '812x375', width: 812, height: 375 },
  { name: '412x915', width: 412, height: 915 },
  { name: '915x412', width: 915, height: 412 },
];
let node: TestNode;
let lecturerTab: BrowserTab;
let studentTab: BrowserTab;
type PageState = { joined: boolean; producers: { source: string }[]; consumers: { participantId: string; source: string }[] };
const state = (p: Page) => p.evaluate(() => window.__tongtang!.state()) as Promise<PageState>;

/** How far the page scrolls sideways, and where the lecture video sits. */
const layout = (p: Page) => p.evaluate(() => {
  const video = document.querySelector('[data-testid="lecture-stage"]')!.getBoundingClientRect();
  return { scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth, video: { left: video.left, right: video.right, top: video.top, height: video.height } };
});

/** A control can be reached with the thumb: scrolled to, then it lies fully inside the screen. */
async function reachable(p: Page, name: string, role: 'button' | 'tab' = 'button') {
  const control = p.getByRole(role, { name, exact: false }).first();
  await control.scrollIntoViewIfNeeded();
  const box = (await control.boundingBox())!;
  const size = p.viewportSize()!;
  expect(box.x, `${name} left`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${name} right`).toBeLessThanOrEqual(size.width + 0.5);
  expect(box.height, `${name} is a thumb-sized target`).toBeGreaterThanOrEqual(32);
  return control;
}

beforeAll(async () => {
  node = await startTestNode({}, { SFU_WORKERS: '1' });
  const token = (opts: Parameters<TestNode['token']>[0]) => node.token({ lectureId, ...opts });
  lecturerTab = await openTab(`${node.url}/?token=${token({ role: 'lecturer', name: '王教授', subject: 'lecturer' })}`, 'lecturer');
  const lecturer = lecturerTab.page;
  await eventually(() => state(lecturer), (s) => s.joined, 30_000, 'lecturer joined');
  await lecturer.getByTestId('toggle-camera').click();
  await lecturer.getByTestId('toggle-microphone').click();
  await eventually(() => state(lecturer), (s) => s.producers.length === 2, 20_000, 'lecturer publishes');
  await lecturer.getByRole('button', { name: '开始直播' }).click();
  studentTab = await openTab(`${node.url}/?token=${token({ role: 'student', name: '李华', subject: 'student-1' })}`, 'phone',
    { viewport: { width: 375, height: 812 }, phone: true, autoplayNeedsGesture: true });
  const raise = studentTab.page.getByRole('button', { name: '举手' });
  await eventually(() => raise.isEnabled(), (enabled) => enabled, 30_000, 'student joined');
}, 120_000);
afterAll(async () => {
  await studentTab?.close();
  await lecturerTab?.close();
  await node?.close();
});

describe('the student view on a phone', () => {
  it('asks for a tap to turn the sound on after a reload, and the tap works', async () => {
    const p = studentTab.page;
    // Tapping "join" on the setup check already counts as the gesture a phone wants; a page
    // reloaded mid-class goes straight back in, with no tap yet: that is when the prompt matters.
    await p.reload();
    const unlock = p.getByRole('button', { name: '点击开启声音' });
    await expect.poll(() => unlock.isVisible(), { timeout: 20_000 }).toBe(true);
    await screenshot(p, 'phone-375x812-sound-prompt');
    await unlock.tap();
    await expect.poll(() => unlock.count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => p.evaluate(() => [...document.querySelectorAll('audio')].map((a) => !a.paused)), { timeout: 10_000 }).toEqual([true]);
  });

  for (const size of SIZES) {
    it(`works at ${size.name}: no sideways scrolling, the lecture on screen, every control a tap away`, async () => {
      const p = studentTab.page;
      await p.setViewportSize({ width: size.width, height: size.height });
      await p.evaluate(() => window.scrollTo(0, 0));
      await expect.poll(() => p.locator('[data-testid="lecture-video"] video').evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 20_000 }).toBeGreaterThan(0);
      const l = await layout(p);
      expect(l.scrollWidth, 'page wider than the screen').toBeLessThanOrEqual(l.width);
      expect(l.video.left).toBeGreaterThanOrEqual(0);
      expect(l.video.right).toBeLessThanOrEqual(l.width + 0.5);
      expect(l.video.top).toBeLessThan(size.height / 2); // the lecture is what the page opens with
      expect(l.video.height).toBeGreaterThanOrEqual(Math.min(150, size.height * 0.4));
      await screenshot(p, `phone-${size.name}`);
      // Hand and reactions are on the first screen, without scrolling (landscape too).
      const hand = (await p.getByRole('button', { name: '举手' }).boundingBox())!;
      expect(hand.y + hand.height, 'raise hand on the first screen').toBeLessThanOrEqual(size.height);

      await (await reachable(p, '点赞')).tap();
      await expect.poll(() => p.getByRole('status').filter({ hasText: '已发送' }).count(), { timeout: 10_000 }).toBe(1);
      await (await reachable(p, '投票', 'tab')).tap();
      await expect.poll(() => p.getByText('当前没有进行中的投票。').isVisible(), { timeout: 10_000 }).toBe(true);
      await (await reachable(p, '聊天', 'tab')).tap();
      const input = p.getByRole('textbox', { name: '消息' });
      await input.scrollIntoViewIfNeeded();
      await input.fill(`来自手机 ${size.name}`);
      await (await reachable(p, '发送')).tap();
      await expect.poll(() => lecturerTab.page.getByTestId('chat-panel').textContent(), { timeout: 15_000 }).toContain(`来自手机 ${size.name}`);

      // The floor: raise, be given it, answer the camera question, mute, step down, all by tapping.
      await (await reachable(p, '举手')).tap();
      const lecturer = lecturerTab.page;
      await lecturer.getByTestId('hand-queue').getByRole('button', { name: '邀请发言' }).click();
      await (await reachable(p, '仅语音')).tap();
      await (await reachable(p, '静音')).tap();
      await expect.poll(() => p.getByRole('status').filter({ hasText: '麦克风已静音' }).count(), { timeout: 10_000 }).toBe(1);
      expect((await layout(p)).scrollWidth).toBeLessThanOrEqual(size.width);
      await screenshot(p, `phone-${size.name}-speaking`);
      await (await reachable(p, '结束发言')).tap();
      await expect.poll(() => p.getByRole('status').filter({ hasText: '您已结束发言' }).count(), { timeout: 10_000 }).toBe(1);
      if (size.name === '375x812' || size.name === '812x375') await expectAccessible(p, `student phone ${size.name}`);
    });
  }

  it('shows the slides whole at 375x812: the lecturer\'s camera inset is put away with one tap', async () => {
    const p = studentTab.page;
    await p.setViewportSize({ width: 375, height: 812 });
    await p.evaluate(() => window.scrollTo(0, 0));
    await lecturerTab.page.getByTestId('toggle-screen').click();
    const pip = p.getByTestId('lecture-camera-pip');
    await expect.poll(() => pip.isVisible(), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => p.locator('[data-testid="lecture-video"] video').evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 30_000 }).toBeGreaterThan(0);
    const covered = (await pip.boundingBox())!;
    await screenshot(p, 'phone-375x812-slides-with-camera');
    await (await reachable(p, '隐藏主讲教师画面')).tap();
    await expect.poll(() => pip.count(), { timeout: 10_000 }).toBe(0);
    // Where the inset was, the slides are now what a finger (or an eye) meets — all but the small
    // button that brings the camera back.
    const grid = await p.evaluate((r) => {
      const hits: (string | null | undefined)[] = [];
      for (let i = 1; i <= 5; i++) for (let j = 1; j <= 5; j++) {
        hits.push(document.elementFromPoint(r.x + (r.width * i) / 6, r.y + (r.height * j) / 6)?.closest('[data-testid]')?.getAttribute('data-testid'));
      }
      return hits;
    }, covered);
    expect(grid.filter((h) => h === 'lecture-video').length, grid.join(',')).toBeGreaterThanOrEqual(20);
    await screenshot(p, 'phone-375x812-slides-whole');
    await (await reachable(p, '显示主讲教师画面')).tap();
    await expect.poll(() => pip.isVisible(), { timeout: 10_000 }).toBe(true);
  });
});
