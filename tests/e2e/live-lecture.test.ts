/**
 * The whole lesson in real headless Chromium tabs (fake camera and microphone) against a real
 * node: the lecturer goes live with simulcast camera + microphone, two partner classrooms and two
 * students receive it, the lecturer sees both room cameras, a student drops to the lowest layer;
 * then a student raises a hand, is granted the floor and is heard at every site until revoked.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, openTab, screenshot, type BrowserTab } from '../helpers/browser.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

type Inbound = { consumerId: string; participantId: string; source: string; kind: string; packetsReceived: number; bytesReceived: number; framesDecoded: number; frameWidth: number; frameHeight: number };
type PageState = { joined: boolean; lectureState: string | null; consumers: { id: string; producerId: string; participantId: string; source: string }[]; producers: { source: string }[]; speakers: string[]; handPosition: number | null };

const lectureId = 'e2e-lecture';
let node: TestNode;
const tabs: Record<string, BrowserTab> = {};

const state = (page: Page) => page.evaluate(() => window.__tongtang!.state()) as Promise<PageState>;
const inbound = (page: Page) => page.evaluate(() => window.__tongtang!.inboundStats()) as Promise<Inbound[]>;
const find = (stats: Inbound[], participantId: string, source: string) => stats.find((s) => s.participantId === participantId && s.source === source);

async function open(label: string, opts: Parameters<TestNode['token']>[0]): Promise<Page> {
  const tab = await openTab(`${node.url}/?token=${node.token({ lectureId, ...opts })}`, label);
  tabs[label] = tab;
  await eventually(() => state(tab.page), (s) => s.joined, 30_000, `${label} joined`);
  return tab.page;
}

/**
 * Checks the stream is flowing: packets and bytes grow over 2 s, and for video decoded frames
 * grow too — within 10 s, since a decoder on a busy machine may wait for the next key frame.
 */
async function expectFlowing(page: Page, participantId: string, source: string, label: string): Promise<void> {
  const first = await eventually(() => inbound(page), (s) => (find(s, participantId, source)?.packetsReceived ?? 0) > 0, 30_000, `${label} receives ${participantId}/${source}`);
  const a = find(first, participantId, source)!;
  await new Promise((r) => setTimeout(r, 2_000));
  const b = find(await inbound(page), participantId, source)!;
  expect(b.packetsReceived, `${label} ${source} packets`).toBeGreaterThan(a.packetsReceived);
  expect(b.bytesReceived, `${label} ${source} bytes`).toBeGreaterThan(a.bytesReceived);
  if (a.kind === 'video') {
    await eventually(() => inbound(page), (s) => (find(s, participantId, source)?.framesDecoded ?? 0) > a.framesDecoded, 10_000, `${label} decodes ${participantId}/${source} frames`);
  }
}

beforeAll(async () => {
  node = await startTestNode({}, { SFU_WORKERS: '1' });
}, 60_000);
afterAll(async () => {
  for (const tab of Object.values(tabs)) await tab.close();
  await node?.close();
});

describe('live lecture in real browsers', () => {
  it('goes live with a simulcast camera and microphone', async () => {
    const lecturer = await open('lecturer', { role: 'lecturer', name: 'Prof. Wang', subject: 'lecturer' });
    await lecturer.getByTestId('toggle-camera').click();
    await lecturer.getByTestId('toggle-microphone').click();
    await eventually(() => state(lecturer), (s) => s.producers.length === 2, 20_000, 'lecturer publishes camera and microphone');
    await lecturer.getByTestId('go-live-button').click();
    await eventually(() => state(lecturer), (s) => s.lectureState === 'live', 10_000, 'lecture live');
    expect(await lecturer.getByTestId('lecture-state').getAttribute('data-state')).toBe('live');
  });

  it('delivers the lecture to two partner classrooms and two students', async () => {
    await open('classroom-a', { role: 'classroom', name: 'Kashgar 101', subject: 'room-a', classroomId: 'kashgar', classroomName: 'Kashgar Room 101' });
    await open('classroom-b', { role: 'classroom', name: 'Lhasa 3', subject: 'room-b', classroomId: 'lhasa', classroomName: 'Lhasa Room 3' });
    await open('student-1', { role: 'student', name: 'Li Hua', subject: 'student-1' });
    await open('student-2', { role: 'student', name: 'Zhang Wei', subject: 'student-2' });
    for (const label of ['classroom-a', 'classroom-b', 'student-1', 'student-2']) {
      await expectFlowing(tabs[label]!.page, 'lecturer', 'camera', label);
      await expectFlowing(tabs[label]!.page, 'lecturer', 'microphone', label);
    }
    // The server agrees: one producer each for camera, microphone and the two room cameras, and
    // consumers for four receivers of the program plus the lecturer's two wall tiles.
    const stats = await node.media.lectureStats(lectureId);
    expect(stats.producers).toBe(4);
    expect(stats.consumers).toBeGreaterThanOrEqual(10);
    for (const label of Object.keys(tabs)) await screenshot(tabs[label]!.page, `e2e-${label}`);
  });

  it('shows both classroom cameras on the lecturer wall', async () => {
    const lecturer = tabs.lecturer!.page;
    await expectFlowing(lecturer, 'room-a', 'camera', 'lecturer wall');
    await expectFlowing(lecturer, 'room-b', 'camera', 'lecturer wall');
    await expect.poll(() => lecturer.getByTestId('wall-tile-kashgar').isVisible()).toBe(true);
    await expect.poll(() => lecturer.getByTestId('wall-tile-lhasa').isVisible()).toBe(true);
    // A student never receives a room camera without the floor.
    const studentStats = await inbound(tabs['student-1']!.page);
    expect(find(studentStats, 'room-a', 'camera')).toBeUndefined();
  });

  it('gives a receiver switched to the lowest layer the low resolution', async () => {
    const page = tabs['student-2']!.page;
    const high = await eventually(() => inbound(page), (s) => (find(s, 'lecturer', 'camera')?.frameWidth ?? 0) >= 640, 30_000, 'high layer first');
    const consumerId = find(high, 'lecturer', 'camera')!.consumerId;
    await page.evaluate((id) => window.__tongtang!.setPreferredLayer(id, 0), consumerId);
    const low = await eventually(() => inbound(page), (s) => (find(s, 'lecturer', 'camera')?.frameWidth ?? 9999) <= 320, 30_000, 'low layer after switch');
    expect(find(low, 'lecturer', 'camera')!.frameHeight).toBeLessThanOrEqual(180);
  });

  it('refuses a student publishing the program or closing the lecturer\'s camera, and keeps everyone served', async () => {
    const student = tabs['student-1']!.page;
    const lecturerCamera = (await state(tabs['classroom-a']!.page)).consumers.find((c) => c.participantId === 'lecturer' && c.source === 'camera');
    expect(lecturerCamera).toBeDefined();
    const closeRes = await student.evaluate((id) => window.__tongtang!.request('media:closeProducer', { producerId: id }), lecturerCamera!.producerId);
    expect(closeRes).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const transport = await student.evaluate(() => window.__tongtang!.request('media:createTransport', { direction: 'send' }));
    expect(transport.ok).toBe(true);
    const produce = await student.evaluate((t) => window.__tongtang!.request('media:produce', {
      transportId: t, kind: 'video', source: 'camera', rtpParameters: { codecs: [{ mimeType: 'video/VP8', clockRate: 90000, payloadType: 96 }] },
    }), (transport as { data: { id: string } }).data.id);
    expect(produce).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const junk = await student.evaluate(() => window.__tongtang!.request('lecture:destroy', { now: true }));
    expect(junk).toMatchObject({ ok: false, error: { code: 'UNKNOWN_REQUEST' } });
    expect((await state(tabs.lecturer!.page)).producers).toHaveLength(2);
    await expectFlowing(tabs['classroom-b']!.page, 'lecturer', 'camera', 'classroom-b after bad input');
  });
});

describe('hand-raise and interaction relay in real browsers', () => {
  it('relays a granted student\'s voice to every site and stops on revoke', async () => {
    const lecturer = tabs.lecturer!.page;
    const speaker = tabs['student-1']!.page;
    await speaker.getByTestId('raise-hand-button').click();
    await eventually(() => state(speaker), (s) => s.handPosition === 1, 10_000, 'student sees its queue position');
    const entry = lecturer.locator('[data-testid^="hand-entry-"][data-participant="student-1"]');
    await entry.waitFor({ timeout: 10_000 });
    const entryId = (await entry.getAttribute('data-testid'))!.replace('hand-entry-', '');
    await lecturer.getByTestId(`grant-button-${entryId}`).click();
    await eventually(() => state(speaker), (s) => s.producers.some((p) => p.source === 'microphone'), 20_000, 'speaker publishes its microphone');

    for (const label of ['classroom-a', 'student-2', 'lecturer']) {
      await expectFlowing(tabs[label]!.page, 'student-1', 'microphone', label);
    }
    await expect.poll(() => tabs['classroom-a']!.page.getByTestId('speaker-area').isVisible()).toBe(true);
    for (const label of ['lecturer', 'classroom-a', 'student-1', 'student-2']) await screenshot(tabs[label]!.page, `e2e-floor-${label}`);

    await lecturer.getByTestId('revoke-button-student-1').click();
    for (const label of ['classroom-a', 'student-2', 'lecturer']) {
      await eventually(() => state(tabs[label]!.page), (s) => !s.consumers.some((c) => c.participantId === 'student-1'), 15_000, `${label} drops the speaker`);
    }
    await eventually(() => state(speaker), (s) => s.producers.length === 0, 15_000, 'speaker stops publishing');
    // Without the floor, the student's microphone is refused again.
    const again = await speaker.evaluate(() => window.__tongtang!.request('floor:grant', { participantId: 'student-1' }));
    expect(again).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
