/**
 * Every view of the web client in real headless Chromium against a real node: the join page,
 * the lecturer console, a partner classroom's projector, its assistant, a remote student and an
 * observer. Each is checked for what it shows AND that it works across views (chat, hands,
 * floor, polls, reactions, head count and CSV export, language, layer selection, reconnect),
 * for zero axe-core WCAG 2 A/AA violations, and is saved as a screenshot. At most four browser
 * tabs are open at once: the machine has two cores.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, openTab, screenshot, type BrowserTab } from '../helpers/browser.ts';
import { DEFAULT_TIERS } from '../../signaling/src/config.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

type PageState = { joined: boolean; lectureState: string | null; consumers: { participantId: string; source: string }[]; producers: { source: string }[] };
type Inbound = { participantId: string; source: string; frameWidth: number };
type AxeResult = { violations: { id: string; nodes: { target: string[]; failureSummary?: string }[] }[] };

const AXE = path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js');
const lectureId = 'views-lecture';
const classroom = { classroomId: 'kashgar', classroomName: 'Kashgar Room 101' };
let node: TestNode;
const tabs: Record<string, BrowserTab> = {};
const page = (label: string): Page => tabs[label]!.page;

const state = (p: Page) => p.evaluate(() => window.__tongtang!.state()) as Promise<PageState>;
const inbound = (p: Page) => p.evaluate(() => window.__tongtang!.inboundStats()) as Promise<Inbound[]>;
const lecturerCameraWidth = async (p: Page) => (await inbound(p)).find((s) => s.participantId === 'lecturer' && s.source === 'camera')?.frameWidth ?? 0;

async function open(label: string, opts: Parameters<TestNode['token']>[0]): Promise<Page> {
  tabs[label] = await openTab(`${node.url}/?token=${node.token({ lectureId, ...opts })}`, label);
  await eventually(() => state(page(label)), (s) => s.joined, 30_000, `${label} joined`);
  return page(label);
}

async function close(label: string): Promise<void> {
  await tabs[label]?.close();
  delete tabs[label];
}

/** Runs axe-core's WCAG 2 A and AA rules on the whole page and expects no violation. */
async function expectAccessible(p: Page, name: string): Promise<void> {
  // Evaluated through the DevTools protocol: a <script> tag would be (rightly) refused by the page's CSP.
  if (!(await p.evaluate(() => 'axe' in window))) await p.evaluate(fs.readFileSync(AXE, 'utf8'));
  const result = await p.evaluate(() =>
    (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<AxeResult> } }).axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] }));
  const found = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary ?? ''})`).join('; ')}`);
  expect(found, `axe violations in ${name}`).toEqual([]);
}

const visible = (l: Locator) => expect.poll(() => l.isVisible(), { timeout: 15_000 }).toBe(true);
const text = (l: Locator, pattern: RegExp | string) => expect.poll(() => l.textContent(), { timeout: 15_000 }).toMatch(pattern);
const attr = (l: Locator, name: string, value: string) => expect.poll(() => l.getAttribute(name), { timeout: 15_000 }).toBe(value);

beforeAll(async () => {
  // Students are capped at the middle layer by default; this test follows a student's tile size up
  // to the top layer, so its students may have it.
  node = await startTestNode({ tierDefaults: { ...DEFAULT_TIERS, student: 'high' } }, { SFU_WORKERS: '1' });
}, 60_000);
afterAll(async () => {
  for (const label of Object.keys(tabs)) await close(label);
  await node?.close();
});

describe('join page', () => {
  it('speaks Chinese by default, switches to English, checks devices and the server', async () => {
    tabs.join = await openTab(`${node.url}/`, 'join');
    const p = page('join');
    await visible(p.getByTestId('join-page'));
    expect(await p.getAttribute('html', 'lang')).toBe('zh-CN');
    await text(p.locator('#root h2').first(), '加入直播课');
    await attr(p.getByTestId('check-server'), 'data-status', 'ok');
    await attr(p.getByTestId('check-signaling'), 'data-status', 'ok');
    // Before joining, a probe transport finds the media path: ICE over the WebRtcServer's UDP port.
    await attr(p.getByTestId('check-media'), 'data-status', 'ok');
    await attr(p.getByTestId('check-media'), 'data-protocol', 'udp');
    await expectAccessible(p, 'join page (zh-CN)');
    await screenshot(p, 'view-join');

    await p.getByTestId('language-select').selectOption('en');
    await text(p.locator('#root h2').first(), 'Join a live lecture');
    expect(await p.getAttribute('html', 'lang')).toBe('en');
    await p.getByTestId('join-input').fill('not a link');
    await p.getByTestId('join-submit').click();
    await visible(p.getByTestId('join-invalid'));
    // Camera preview and microphone level from the fake devices.
    await p.getByTestId('device-test-button').click();
    await visible(p.locator('[data-testid="camera-preview"] video'));
    await expect.poll(async () => Number(await p.getByTestId('preview-mic-level').getAttribute('data-peak')), { timeout: 15_000 }).toBeGreaterThan(0);
    await expectAccessible(p, 'join page (en, devices on)');
    await screenshot(p, 'view-join-devices');
    await close('join');
  });
});

describe('lecture views', () => {
  it('lecturer goes live with camera and microphone; elapsed time runs', async () => {
    const lecturer = await open('lecturer', { role: 'lecturer', name: '王教授', subject: 'lecturer' });
    await lecturer.getByTestId('toggle-camera').click();
    await lecturer.getByTestId('toggle-microphone').click();
    await eventually(() => state(lecturer), (s) => s.producers.length === 2, 20_000, 'lecturer publishes');
    await visible(lecturer.getByTestId('mic-level'));
    await lecturer.getByTestId('go-live-button').click();
    await attr(lecturer.getByTestId('lecture-state'), 'data-state', 'live');
    await text(lecturer.getByTestId('elapsed'), /\d\d:\d\d/);
  });

  it('classroom, assistant and student join; the wall shows the room with a quality reading', async () => {
    await open('classroom', { role: 'classroom', name: 'Kashgar 101', subject: 'room-a', ...classroom });
    await open('assistant', { role: 'assistant', name: '阿依古丽', subject: 'assistant-a', ...classroom });
    await open('student', { role: 'student', name: '李华', subject: 'student-1' });
    const lecturer = page('lecturer');
    await visible(lecturer.locator('[data-testid="wall-tile-kashgar"] video'));
    await expect.poll(() => lecturer.getByTestId('wall-quality-kashgar').getAttribute('data-quality'), { timeout: 20_000 }).toMatch(/good|fair|poor/);
    await expect.poll(() => page('student').getByTestId('network-quality').getAttribute('data-protocol'), { timeout: 20_000 }).toBe('udp');
    await lecturer.getByTestId('pin-button-kashgar').click();
    await attr(lecturer.getByTestId('pin-button-kashgar'), 'aria-pressed', 'true');
    await lecturer.getByTestId('pin-button-kashgar').click();
  });

  it('puts the classroom hand on the wall tile, then the classroom on the floor, on air and muted', async () => {
    const [lecturer, cls, assistant] = [page('lecturer'), page('classroom'), page('assistant')];
    await assistant.getByTestId('raise-hand-button').click();
    await visible(lecturer.getByTestId('wall-hand-kashgar'));
    await visible(cls.getByTestId('hand-position'));
    const entry = lecturer.locator('[data-testid^="hand-entry-"][data-participant="room-a"]');
    const entryId = (await entry.getAttribute('data-testid'))!.replace('hand-entry-', '');
    await lecturer.getByTestId(`grant-button-${entryId}`).click();
    await visible(lecturer.getByTestId('wall-floor-kashgar'));
    await visible(cls.getByTestId('live-banner'));
    await lecturer.getByTestId('mute-button-room-a').click();
    await attr(cls.getByTestId('live-banner'), 'data-muted', 'true');
    await expectAccessible(cls, 'classroom on air');
    await screenshot(cls, 'view-classroom-on-air');
    await screenshot(lecturer, 'view-lecturer-floor');
    await lecturer.getByTestId('revoke-button-room-a').click();
    await expect.poll(() => cls.getByTestId('live-banner').count(), { timeout: 15_000 }).toBe(0);
  });

  it('shows a student its queue position; the lecturer lowers the hand', async () => {
    const [lecturer, student] = [page('lecturer'), page('student')];
    await student.getByTestId('raise-hand-button').click();
    await text(student.getByTestId('hand-position'), /1/);
    const entry = lecturer.locator('[data-testid^="hand-entry-"][data-participant="student-1"]');
    const entryId = (await entry.getAttribute('data-testid'))!.replace('hand-entry-', '');
    await lecturer.getByTestId(`lower-button-${entryId}`).click();
    await visible(student.getByTestId('raise-hand-button'));
  });

  it('carries chat to every view and keeps a private message between the student and the lecturer', async () => {
    const [lecturer, student, assistant, cls] = [page('lecturer'), page('student'), page('assistant'), page('classroom')];
    await student.getByTestId('chat-input').fill('老师好，大家好！');
    await student.getByTestId('chat-send').click();
    await text(lecturer.getByTestId('chat-panel'), '老师好，大家好！');
    await assistant.getByTestId('tab-chat').click();
    await text(assistant.getByTestId('chat-panel'), '老师好，大家好！');
    await cls.getByTestId('side-panel-toggle').click();
    await cls.getByTestId('tab-chat').click();
    await text(cls.getByTestId('chat-panel'), '老师好，大家好！');

    await student.getByTestId('chat-audience').selectOption('lecturer');
    await student.getByTestId('chat-input').fill('Private: can you repeat step 2?');
    await student.getByTestId('chat-send').click();
    const privateMessage = lecturer.locator('[data-private="true"]', { hasText: 'repeat step 2' });
    await visible(privateMessage);
    await assistant.getByTestId('chat-input').fill('Kashgar is ready.');
    await assistant.getByTestId('chat-send').click();
    await text(lecturer.getByTestId('chat-panel'), 'Kashgar is ready.');
    expect(await assistant.getByTestId('chat-panel').textContent()).not.toContain('repeat step 2');
  });

  it('shows a student reaction in the lecturer feed', async () => {
    await page('student').getByTestId('reaction-0').click();
    await visible(page('lecturer').locator('[data-testid="reaction-item"][data-emoji="👍"][data-site="online"]'));
  });

  it('runs a poll: the student and the assistant answer, the bars update live, then it closes', async () => {
    const [lecturer, student, assistant, cls] = [page('lecturer'), page('student'), page('assistant'), page('classroom')];
    await lecturer.getByTestId('tab-polls').click();
    await lecturer.getByTestId('poll-question-input').fill('哪个数更大？');
    await lecturer.getByTestId('poll-option-input-0').fill('0.5');
    await lecturer.getByTestId('poll-option-input-1').fill('0.55');
    await lecturer.getByTestId('poll-add-option').click();
    await lecturer.getByTestId('poll-option-input-2').fill('一样大');
    await lecturer.getByTestId('poll-open-button').click();
    await visible(lecturer.getByTestId('poll-close-button'));

    await student.getByTestId('tab-polls').click();
    await student.getByTestId('poll-choice-1').check();
    await student.getByTestId('poll-submit').click();
    await visible(student.getByTestId('poll-answered'));
    await assistant.getByTestId('tab-polls').click();
    for (const [i, n] of [3, 10, 2].entries()) await assistant.getByTestId(`poll-count-${i}`).fill(String(n));
    await assistant.getByTestId('poll-site-submit').click();

    const current = lecturer.locator('.poll-current');
    await attr(current.getByTestId('poll-bar-1'), 'data-count', '11');
    await attr(current.getByTestId('poll-bar-0'), 'data-count', '3');
    await visible(current.getByTestId('poll-site-online'));
    await text(current.getByTestId('poll-site-kashgar'), /Kashgar Room 101/);
    await attr(cls.getByTestId('poll-bar-1'), 'data-count', '11'); // the projector follows live
    await expectAccessible(lecturer, 'lecturer with an open poll');
    await expectAccessible(assistant, 'assistant with an open poll');
    await expectAccessible(student, 'student with an answered poll');
    await expectAccessible(cls, 'classroom with the side panel');
    await screenshot(lecturer, 'view-lecturer');
    await screenshot(cls, 'view-classroom');
    await screenshot(assistant, 'view-assistant');

    await lecturer.getByTestId('poll-close-button').click();
    await attr(student.getByTestId('poll-state'), 'data-state', 'closed');
    await attr(student.getByTestId('poll-bar-1'), 'data-count', '11');
  });

  it('records the head count and exports attendance as CSV', async () => {
    const [lecturer, assistant] = [page('lecturer'), page('assistant')];
    await assistant.getByTestId('tab-classroom').click();
    await assistant.getByTestId('headcount-input').fill('28');
    await assistant.getByTestId('headcount-save').click();
    await attr(assistant.getByTestId('headcount-current'), 'data-count', '28');
    await lecturer.getByTestId('tab-attendance').click();
    await text(lecturer.getByTestId('headcount-kashgar'), '28');
    await text(lecturer.getByTestId('attendance-total'), '29');
    const [download] = await Promise.all([lecturer.waitForEvent('download'), lecturer.getByTestId('attendance-export').click()]);
    expect(download.suggestedFilename()).toBe(`${lectureId}-attendance.csv`);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('kashgar,Kashgar Room 101,28,true,1');
    expect(csv).toMatch(/total,Total,29/);
    expect(csv).toContain('# floor history');
    await expectAccessible(lecturer, 'lecturer attendance tab');
  });

  it('switches the student to English, follows the tile size with the simulcast layer, and checks the media path', async () => {
    const student = page('student');
    await text(student.getByTestId('raise-hand-button'), '举手');
    await student.getByTestId('language-select').selectOption('en');
    await text(student.getByTestId('raise-hand-button'), 'Raise hand');
    expect(await student.getAttribute('html', 'lang')).toBe('en');
    await screenshot(student, 'view-student');
    await expectAccessible(student, 'student in English');

    await expect.poll(() => lecturerCameraWidth(student), { timeout: 30_000 }).toBeGreaterThan(640);
    const video = student.locator('[data-testid="lecture-video"] video');
    await student.setViewportSize({ width: 360, height: 740 });
    await attr(video, 'data-layer', '0');
    await expect.poll(() => lecturerCameraWidth(student), { timeout: 30_000 }).toBeLessThanOrEqual(320);
    await screenshot(student, 'view-student-phone');
    await student.setViewportSize({ width: 1280, height: 720 });
    await attr(video, 'data-layer', '2');
    await expect.poll(() => lecturerCameraWidth(student), { timeout: 30_000 }).toBeGreaterThan(640);

    await student.getByTestId('settings-button').click();
    await visible(student.getByTestId('settings-dialog'));
    await attr(student.getByTestId('check-media'), 'data-protocol', 'udp');
    await text(student.getByTestId('check-media'), /UDP/);
    await visible(student.locator('[data-testid="camera-preview"] video'));
    await expectAccessible(student, 'student settings dialog');
    await screenshot(student, 'view-settings');
    await student.getByTestId('settings-close').click();
  });

  it('explains a refused camera and keeps the rest working', async () => {
    const assistant = page('assistant');
    await assistant.evaluate(() => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('refused in test', 'NotAllowedError'));
    });
    await assistant.getByTestId('settings-button').click();
    await attr(assistant.getByTestId('device-problem'), 'data-problem', 'denied');
    await assistant.getByTestId('settings-close').click();
    await assistant.getByTestId('tab-chat').click();
    await assistant.getByTestId('chat-input').fill('Still here without a camera.');
    await assistant.getByTestId('chat-send').click();
    await text(page('lecturer').getByTestId('chat-panel'), 'Still here without a camera.');
  });

  it('shows the classroom a reconnecting banner, then that it is back', async () => {
    const cls = page('classroom');
    const lost = cls.waitForSelector('[data-testid="reconnect-banner"][data-state="reconnecting"]', { timeout: 15_000 });
    await cls.evaluate(() => window.__tongtang!.simulateDrop());
    await lost;
    await visible(cls.locator('[data-testid="reconnect-banner"][data-state="reconnected"]'));
    await eventually(() => state(cls), (s) => s.joined && s.consumers.some((c) => c.participantId === 'lecturer' && c.source === 'camera'), 20_000, 'classroom receives again');
  });

  it('gives the observer the roster, media server figures and attendance', async () => {
    for (const label of ['classroom', 'assistant', 'student']) await close(label);
    const observer = await open('observer', { role: 'observer', name: 'Campus IT', subject: 'observer-it' });
    await visible(observer.getByTestId('participant-lecturer'));
    await expect.poll(async () => Number(await observer.getByTestId('stat-producers').textContent()), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    await text(observer.getByTestId('headcount-kashgar'), '28');
    await expectAccessible(observer, 'observer');
    await screenshot(observer, 'view-observer');
  });
});
