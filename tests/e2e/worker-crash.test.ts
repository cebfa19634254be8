/**
 * A media worker crashes under a live lecture with a student on the floor: every page is back
 * with media within seconds, on the same signaling connection (no reconnect, no reload), with
 * the hand queue and the floor as they were. Real Chromium tabs against a real node.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, openTab, screenshot, type BrowserTab } from '../helpers/browser.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

type Inbound = { participantId: string; source: string; kind: string; packetsReceived: number; framesDecoded: number };
type PageState = { joined: boolean; connection: string; consumers: { participantId: string; source: string }[]; producers: { source: string }[]; speakers: string[]; handPosition: number | null };

const lectureId = 'e2e-worker-crash';
let node: TestNode;
const tabs: Record<string, BrowserTab> = {};
const state = (page: Page) => page.evaluate(() => window.__tongtang!.state()) as Promise<PageState>;
const inbound = (page: Page) => page.evaluate(() => window.__tongtang!.inboundStats()) as Promise<Inbound[]>;
const packets = async (page: Page, participantId: string, source: string) =>
  (await inbound(page)).filter((s) => s.participantId === participantId && s.source === source).reduce((n, s) => n + s.packetsReceived, 0);

async function open(label: string, opts: Parameters<TestNode['token']>[0]): Promise<Page> {
  const tab = await openTab(`${node.url}/?token=${node.token({ lectureId, ...opts })}`, label);
  tabs[label] = tab;
  await eventually(() => state(tab.page), (s) => s.joined, 30_000, `${label} joined`);
  return tab.page;
}

/** Resolves once packets of that stream grow over one second (a fresh consumer counts from zero). */
async function flowing(page: Page, participantId: string, source: string, label: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const before = await packets(page, participantId, source);
    await new Promise((r) => setTimeout(r, 1_000));
    const after = await packets(page, participantId, source);
    if (before > 0 && after > before) return;
  }
  throw new Error(`${label} gets no ${participantId}/${source} within ${timeoutMs} ms`);
}

const socketIdOf = (participantId: string) =>
  [...node.server.io.of('/').sockets.values()].find((s) => s.data.session?.id === participantId && !s.data.session.closed)?.id;

beforeAll(async () => {
  node = await startTestNode({}, { SFU_WORKERS: '1' });
}, 60_000);
afterAll(async () => {
  for (const tab of Object.values(tabs)) await tab.close();
  await node?.close();
});

describe('a media worker crash under a live lecture', () => {
  const receivers: [label: string, from: string, source: string][] = [
    ['classroom', 'lecturer', 'camera'], ['classroom', 'speaker', 'microphone'],
    ['listener', 'lecturer', 'camera'], ['listener', 'speaker', 'microphone'],
    ['lecturer', 'speaker', 'microphone'], ['lecturer', 'room', 'camera'],
  ];

  it('sets up a lecture with a speaker on the floor and a raised hand', async () => {
    const lecturer = await open('lecturer', { role: 'lecturer', name: 'Prof. Wang', subject: 'lecturer' });
    await lecturer.getByTestId('toggle-camera').click();
    await lecturer.getByTestId('toggle-microphone').click();
    await eventually(() => state(lecturer), (s) => s.producers.length === 2, 20_000, 'lecturer publishes');
    await lecturer.getByTestId('go-live-button').click();
    await open('classroom', { role: 'classroom', name: 'Kashgar 101', subject: 'room', classroomId: 'kashgar', classroomName: 'Kashgar Room 101' });
    const speaker = await open('speaker', { role: 'student', name: 'Li Hua', subject: 'speaker' });
    const listener = await open('listener', { role: 'student', name: 'Zhang Wei', subject: 'listener' });
    await lecturer.evaluate(() => window.__tongtang!.request('floor:grant', { participantId: 'speaker' }));
    await eventually(() => state(speaker), (s) => s.producers.some((p) => p.source === 'microphone'), 20_000, 'speaker publishes');
    await listener.getByTestId('raise-hand-button').click();
    await eventually(() => state(listener), (s) => s.handPosition === 1, 10_000, 'listener in the queue');
    for (const [label, from, source] of receivers) await flowing(tabs[label]!.page, from, source, label);
  });

  it('brings every page back with media on the same connection, hand and floor intact', async () => {
    const sockets = Object.fromEntries(['lecturer', 'room', 'speaker', 'listener'].map((id) => [id, socketIdOf(id)]));
    const pid = node.media.health().workers[0]!.pid;
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    await eventually(async () => node.media.health().workers[0]!.pid, (p) => p !== pid && node.media.health().ready, 10_000, 'worker replaced');

    const recovered: number[] = [];
    await Promise.all(receivers.map(async ([label, from, source]) => {
      await flowing(tabs[label]!.page, from, source, `${label} after the crash`, 40_000);
      recovered.push((Date.now() - killedAt) / 1000);
    }));
    console.log(`worker kill → media back at every receiver: max ${Math.max(...recovered).toFixed(1)} s (${recovered.map((s) => s.toFixed(1)).join(', ')})`);

    // The same signaling connections: nobody reconnected, nobody reloaded.
    for (const [id, socketId] of Object.entries(sockets)) expect(socketIdOf(id), `${id} kept its connection`).toBe(socketId);
    for (const label of Object.keys(tabs)) expect((await state(tabs[label]!.page)).connection).toBe('connected');
    // Hand and floor as they were, as the pages show them.
    expect((await state(tabs.listener!.page)).handPosition).toBe(1);
    expect((await state(tabs.lecturer!.page)).speakers).toEqual(['speaker']);
    const lecturer = tabs.lecturer!.page;
    await expect.poll(() => lecturer.getByTestId('speaker-entry-speaker').isVisible()).toBe(true);
    await expect.poll(() => lecturer.locator('[data-testid^="hand-entry-"][data-participant="listener"]').isVisible()).toBe(true);
    // The "restoring media" notice came and went.
    await expect.poll(() => tabs.classroom!.page.getByTestId('reconnect-banner').count(), { timeout: 10_000 }).toBe(0);
    for (const label of Object.keys(tabs)) await screenshot(tabs[label]!.page, `e2e-after-worker-crash-${label}`);
  });
});
