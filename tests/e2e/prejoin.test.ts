/**
 * A join link first shows the same device and connection check as the start page (README
 * promises it to everyone), says whom the link is for, and goes in with one click; a reload
 * mid-class goes straight back into the lecture.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../helpers/axe.ts';
import { openTab, screenshot, type BrowserTab } from '../helpers/browser.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

let node: TestNode;
let tab: BrowserTab;
const visible = (p: Page, text: string | RegExp) => expect.poll(() => p.getByText(text).first().isVisible(), { timeout: 20_000 }).toBe(true);

beforeAll(async () => {
  node = await startTestNode({}, { SFU_WORKERS: '1' });
}, 60_000);
afterAll(async () => {
  await tab?.close();
  await node?.close();
});

describe('a join link', () => {
  it('checks devices and the connection before joining, in Chinese and English', async () => {
    const token = node.token({ lectureId: 'prejoin', role: 'student', name: '李华', subject: 'student-1' });
    tab = await openTab(`${node.url}/?token=${token}`, 'prejoin', { stayOnCheck: true });
    const p = tab.page;
    await visible(p, '此链接属于 李华（学生）。');
    await expect.poll(() => p.getByRole('heading', { name: '课前设备与网络检测' }).isVisible(), { timeout: 10_000 }).toBe(true);
    // Server, live connection and media path, each checked for real against this node.
    const checks = p.getByRole('definition');
    await expect.poll(() => checks.allTextContents(), { timeout: 30_000 }).toEqual([
      expect.stringMatching(/^可以连通（\d+ 毫秒）$/), 'WebSocket 可以连通', expect.stringMatching(/^UDP · 往返 \d+ 毫秒$/),
    ]);
    await p.getByRole('button', { name: '测试摄像头和麦克风' }).click();
    await expect.poll(() => p.getByRole('region', { name: '课前设备与网络检测' }).locator('video').isVisible(), { timeout: 15_000 }).toBe(true);
    await expectAccessible(p, 'pre-join check (zh-CN)');
    await screenshot(p, 'prejoin-zh');
    await p.getByRole('combobox', { name: '语言' }).selectOption('en');
    await visible(p, 'This link is for 李华 (Student).');
    await screenshot(p, 'prejoin-en');
    // Nothing is joined until the user goes in.
    expect(await p.evaluate(() => window.__tongtang?.state().connected ?? false)).toBe(false);

    await p.getByRole('button', { name: 'Join the lecture' }).click();
    await expect.poll(() => p.getByRole('button', { name: 'Raise hand' }).isEnabled(), { timeout: 30_000 }).toBe(true);
    await p.reload();
    await expect.poll(() => p.getByRole('button', { name: 'Raise hand' }).isEnabled(), { timeout: 30_000 }).toBe(true);
    expect(await p.getByRole('button', { name: 'Join the lecture' }).count()).toBe(0);
  });
});
