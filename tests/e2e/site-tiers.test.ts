/**
 * A campus's link cannot carry the top quality: the lecturer caps that partner classroom from the
 * console (attendance tab, in Chinese), the classroom's projector drops to the lowest layer of the
 * lecturer's camera, and going back to Auto (in English) brings the top layer back. The control is
 * found by its visible label, and the tab passes axe and the clipping check in both languages.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../helpers/axe.ts';
import { eventually, openTab, screenshot, type BrowserTab } from '../helpers/browser.ts';
import { clippedElements } from '../helpers/clipping.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

type Inbound = { participantId: string; source: string; frameWidth?: number };
const lectureId = 'site-tiers';
let node: TestNode;
const tabs: BrowserTab[] = [];

async function open(opts: Parameters<TestNode['token']>[0], label: string): Promise<Page> {
  const tab = await openTab(`${node.url}/?token=${node.token({ lectureId, ...opts })}`, label, { viewport: { width: 1280, height: 800 } });
  tabs.push(tab);
  await eventually(() => tab.page.evaluate(() => window.__tongtang!.state()) as Promise<{ joined: boolean }>, (s) => s.joined, 30_000, `${label} joined`);
  return tab.page;
}

const cameraWidth = async (page: Page): Promise<number> =>
  ((await page.evaluate(() => window.__tongtang!.inboundStats())) as Inbound[]).find((s) => s.participantId === 'prof' && s.source === 'camera')?.frameWidth ?? 0;

beforeAll(async () => {
  node = await startTestNode({}, { SFU_WORKERS: '1' });
}, 60_000);
afterAll(async () => {
  for (const tab of tabs) await tab.close();
  await node?.close();
});

describe('quality ceiling per classroom', () => {
  it('caps one classroom from the lecturer console and lifts the cap again', { timeout: 240_000 }, async () => {
    const lecturer = await open({ role: 'lecturer', name: '王教授', subject: 'prof' }, 'tiers-lecturer');
    await lecturer.getByRole('button', { name: '开始直播' }).click();
    await lecturer.getByTestId('toggle-camera').click();
    const room = await open({ role: 'classroom', name: '喀什一教室', subject: 'room-k', classroomId: 'kashgar-1', classroomName: '喀什一教室' }, 'tiers-room');
    // The projector room's default ceiling is the top layer (1280 wide; the layers are 320, 640, 1280).
    await eventually(() => cameraWidth(room), (w) => w >= 960, 90_000, 'the top layer at the projector');

    await lecturer.getByRole('tab', { name: '考勤' }).click();
    const select = lecturer.getByRole('combobox', { name: '喀什一教室的画质上限' });
    expect(await select.inputValue()).toBe('auto');
    expect(await select.locator('option:checked').textContent()).toBe('自动（高（720p））');
    await select.selectOption({ label: '低（180p）' });
    await eventually(() => cameraWidth(room), (w) => w > 0 && w <= 320, 30_000, 'the lowest layer at the capped projector');
    await screenshot(lecturer, 'tiers-lecturer-zh');
    await expectAccessible(lecturer, 'lecturer attendance tab with quality ceilings (zh-CN)');
    expect(await clippedElements(lecturer)).toEqual([]);

    await lecturer.getByTestId('language-select').selectOption('en');
    const en = lecturer.getByRole('combobox', { name: 'Video quality for 喀什一教室' });
    expect(await en.locator('option:checked').textContent()).toBe('Low (180p)');
    await en.selectOption({ label: 'Auto (High (720p))' });
    await eventually(() => cameraWidth(room), (w) => w >= 960, 90_000, 'the top layer again');
    await expectAccessible(lecturer, 'lecturer attendance tab with quality ceilings (en)');
    expect(await clippedElements(lecturer)).toEqual([]);
  });
});
