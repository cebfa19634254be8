/**
 * A student's turn on the floor as the people involved see it, in real Chromium against a real
 * node: the lecturer sees the speaker large in the middle of the console; the student is asked
 * before the camera turns on, can mute and turn the camera off while speaking, and is told when
 * and why the turn ended (by the lecturer, by stepping down, by the end of the lecture). After the
 * end, hands and grants are refused with "the lecture has ended". Chinese first, then English.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../helpers/axe.ts';
import { eventually, openTab, screenshot, type BrowserTab } from '../helpers/browser.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

type PageState = { joined: boolean; producers: { source: string }[] };
const lectureId = 'floor-turn';
let node: TestNode;
const tabs: Record<string, BrowserTab> = {};
const page = (label: string): Page => tabs[label]!.page;
const state = (p: Page) => p.evaluate(() => window.__tongtang!.state()) as Promise<PageState>;
const sources = async (p: Page) => (await state(p)).producers.map((x) => x.source).sort();
/** A status is named by nobody: it is found by the text it announces. */
const visible = (p: Page, name: string | RegExp, role: 'button' | 'status' | 'group' = 'button') =>
  expect.poll(() => (role === 'status' ? p.getByRole(role).filter({ hasText: name }) : p.getByRole(role, { name })).isVisible(), { timeout: 20_000 }).toBe(true);
const shows = (p: Page, text: string) => expect.poll(() => p.getByText(text, { exact: true }).isVisible(), { timeout: 20_000 }).toBe(true);

async function open(label: string, opts: Parameters<TestNode['token']>[0]): Promise<Page> {
  tabs[label] = await openTab(`${node.url}/?token=${node.token({ lectureId, ...opts })}`, label, { viewport: { width: 1280, height: 800 } });
  await eventually(() => state(page(label)), (s) => s.joined, 30_000, `${label} joined`);
  return page(label);
}

/** The lecturer gives the floor to the hand whose entry names `name`. */
async function grant(lecturer: Page, name: string): Promise<void> {
  const entry = lecturer.getByTestId('hand-queue').getByRole('listitem').filter({ hasText: name });
  await entry.getByRole('button', { name: /邀请发言|Give the floor/ }).click();
}

beforeAll(async () => {
  node = await startTestNode({}, { SFU_WORKERS: '1' });
  const lecturer = await open('lecturer', { role: 'lecturer', name: '王教授', subject: 'lecturer' });
  await lecturer.getByRole('button', { name: '开始直播' }).click();
  await open('student', { role: 'student', name: '李华', subject: 'student-1' });
}, 90_000);
afterAll(async () => {
  for (const tab of Object.values(tabs)) await tab.close();
  await node?.close();
});

describe('a student on the floor', () => {
  it('is asked before the camera turns on, and the lecturer sees the speaker large in the middle', async () => {
    const [lecturer, student] = [page('lecturer'), page('student')];
    await student.getByRole('button', { name: '举手' }).click();
    await grant(lecturer, '李华');
    await visible(student, /主讲教师请您发言/, 'group');
    await eventually(() => sources(student), (s) => s.includes('microphone'), 20_000, 'microphone on with the grant');
    expect(await sources(student)).toEqual(['microphone']); // no camera before the student says so
    await expectAccessible(student, 'student asked about the camera (zh-CN)');
    await screenshot(student, 'floor-student-asked-zh');

    await student.getByRole('group', { name: /主讲教师请您发言/ }).getByRole('button', { name: '打开摄像头' }).click();
    await eventually(() => sources(student), (s) => s.includes('camera'), 20_000, 'camera on after the choice');
    await expect.poll(() => student.getByRole('group', { name: /主讲教师请您发言/ }).count(), { timeout: 10_000 }).toBe(0);

    // The lecturer's console: the speaker in the main area, large and above the fold.
    const tile = lecturer.getByRole('main').locator('.tile', { hasText: '李华' });
    await expect.poll(() => tile.locator('video').evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => lecturer.getByRole('main').getByRole('heading', { name: '所有会场正在听' }).isVisible()).toBe(true);
    const box = (await tile.boundingBox())!;
    const main = (await lecturer.getByRole('main').boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(Math.min(500, main.width - 40));
    expect(box.y + box.height).toBeLessThanOrEqual(800);
    expect(box.x).toBeGreaterThanOrEqual(main.x - 1);
    // Not also in the narrow left column a second time.
    expect(await lecturer.getByRole('complementary').locator('video').count()).toBe(0);
    await screenshot(lecturer, 'floor-lecturer-speaker-large');
  });

  it('mutes and unmutes itself, is told when the lecturer mutes it, turns its camera off and on', async () => {
    const [lecturer, student] = [page('lecturer'), page('student')];
    await student.getByRole('button', { name: '静音', exact: true }).click();
    await visible(student, '您正在发言，但麦克风已静音。', 'status');
    await expect.poll(() => lecturer.getByTestId('speaker-list').textContent(), { timeout: 15_000 }).toContain('已静音');
    await student.getByRole('button', { name: '取消静音' }).click();
    await visible(student, '轮到您发言了——所有人都能听到您。', 'status');
    await expect.poll(() => lecturer.getByTestId('speaker-list').textContent(), { timeout: 15_000 }).not.toContain('已静音');

    // The lecturer's mute: the student is told who muted it and cannot lift it.
    await lecturer.getByRole('button', { name: '将 李华 静音' }).click();
    await visible(student, '主讲教师已将您的麦克风静音，需由主讲教师取消静音。', 'status');
    await expect.poll(() => student.getByRole('button', { name: '取消静音' }).isDisabled(), { timeout: 10_000 }).toBe(true);
    await screenshot(student, 'floor-student-muted-by-lecturer-zh');
    await lecturer.getByRole('button', { name: '取消 李华 的静音' }).click();
    await visible(student, '轮到您发言了——所有人都能听到您。', 'status');
    await expect.poll(() => student.getByRole('button', { name: '静音', exact: true }).isEnabled()).toBe(true);

    await student.getByRole('button', { name: '关闭摄像头' }).click();
    await eventually(() => sources(student), (s) => !s.includes('camera'), 15_000, 'camera off');
    await expect.poll(() => lecturer.getByRole('main').locator('.tile', { hasText: '李华' }).locator('video').count(), { timeout: 15_000 }).toBe(0);
    await student.getByRole('button', { name: '打开摄像头' }).click();
    await eventually(() => sources(student), (s) => s.includes('camera'), 15_000, 'camera on again');
    await expectAccessible(student, 'student speaking (zh-CN)');
    await screenshot(student, 'floor-student-speaking-zh');
  });

  it('is told when the lecturer ends the turn', async () => {
    const [lecturer, student] = [page('lecturer'), page('student')];
    await lecturer.getByRole('button', { name: '结束 李华 的发言' }).click();
    await visible(student, /您的发言已结束：主讲教师结束了您的发言。/, 'status');
    await visible(student, '举手');
    await eventually(() => sources(student), (s) => s.length === 0, 15_000, 'stops publishing');
    await expect.poll(() => lecturer.getByRole('main').locator('.tile', { hasText: '李华' }).count(), { timeout: 15_000 }).toBe(0);
    await screenshot(student, 'floor-student-ended-by-lecturer-zh');
  });

  it('in English: chooses audio only, then steps down and is told so', async () => {
    const [lecturer, student] = [page('lecturer'), page('student')];
    await student.getByRole('combobox', { name: '语言' }).selectOption('en');
    await student.getByRole('button', { name: 'Raise hand' }).click();
    await grant(lecturer, '李华');
    await visible(student, /The lecturer gave you the floor/, 'group');
    await student.getByRole('button', { name: 'Audio only' }).click();
    await visible(student, 'Turn camera on');
    await eventually(() => sources(student), (s) => s.includes('microphone'), 20_000, 'microphone on');
    expect(await sources(student)).toEqual(['microphone']);
    await expectAccessible(student, 'student speaking audio only (en)');
    await screenshot(student, 'floor-student-audio-only-en');
    await student.getByRole('button', { name: 'Stop speaking' }).click();
    await visible(student, /You stepped down; your turn to speak has ended./, 'status');
    await visible(student, 'Raise hand');
  });

  it('after the end: the turn says why, a raised hand is refused, a grant says the lecture has ended', async () => {
    const [lecturer, student] = [page('lecturer'), page('student')];
    const other = await open('other', { role: 'student', name: '张伟', subject: 'student-2' });
    await other.getByRole('button', { name: '举手' }).click();
    await student.getByRole('button', { name: 'Raise hand' }).click();
    await grant(lecturer, '李华');
    await student.getByRole('button', { name: 'Audio only' }).click();
    await lecturer.getByRole('button', { name: '结束课程' }).click();
    await lecturer.getByRole('group', { name: '确定为所有会场结束本次课程吗？' }).getByRole('button', { name: '结束课程' }).click();

    await visible(student, 'Your turn to speak has ended because the lecture has ended.', 'status');
    await shows(student, 'The lecture has ended.');
    expect(await student.getByRole('button', { name: 'Raise hand' }).count()).toBe(0);
    await shows(other, '本次课程已结束。');
    // The server refuses a hand however it is sent, and says why.
    const raised = await other.evaluate(() => window.__tongtang!.request('hand:raise', {}));
    expect(raised).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'the lecture has ended' } });
    // The lecturer's leftover queue entry: the grant is refused and the banner says why.
    await grant(lecturer, '张伟');
    await expect.poll(() => lecturer.getByRole('alert').textContent(), { timeout: 15_000 }).toContain('本次课程已结束。');
    await screenshot(student, 'floor-student-lecture-ended-en');
    await screenshot(lecturer, 'floor-lecturer-grant-after-end');
  });
});
