/**
 * A partner classroom whose room camera is its lecture-capture encoder, as a lecturer meets it in
 * Chromium: on the console (attendance tab, in Chinese) she connects the classroom's RTMP encoder,
 * reads the server URL and stream key off the panel, and the encoder (real ffmpeg) pushes to them;
 * the classroom's wall tile plays it and says where it comes from. The classroom's assistant
 * raises a hand, the lecturer gives it the floor, and a remote student hears the room microphone.
 * When the encoder stops, the tile says the source stalled instead of showing a frozen picture.
 * Then IT switches the room to a WHIP encoder (a non-browser WebRTC client posting to the
 * endpoint and token read off the panel) and the wall plays that.
 * Both languages; the tab passes axe and the clipping check.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hardwareClip, pushRtmp, type Encoder } from '../../sfu-server/test-support/testClips.ts';
import { whipTestClient, type WhipTestClient } from '../../sfu-server/test-support/whipClient.ts';
import { expectAccessible } from '../helpers/axe.ts';
import { eventually, openTab, screenshot, type BrowserTab } from '../helpers/browser.ts';
import { TestClient } from '../helpers/client.ts';
import { clippedElements } from '../helpers/clipping.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

type Inbound = { participantId: string; source: string; kind: string; framesDecoded: number; totalSamplesReceived: number; packetsReceived: number };
const lectureId = 'classroom-hardware';
let node: TestNode;
const tabs: BrowserTab[] = [];
const clients: TestClient[] = [];
let encoder: Encoder | undefined;
let whip: WhipTestClient | undefined;

async function open(opts: Parameters<TestNode['token']>[0], label: string): Promise<Page> {
  const tab = await openTab(`${node.url}/?token=${node.token({ lectureId, ...opts })}`, label, { viewport: { width: 1280, height: 800 } });
  tabs.push(tab);
  await eventually(() => tab.page.evaluate(() => window.__tongtang!.state()) as Promise<{ joined: boolean }>, (s) => s.joined, 30_000, `${label} joined`);
  return tab.page;
}

const inbound = async (page: Page, source: string): Promise<Inbound | undefined> =>
  ((await page.evaluate(() => window.__tongtang!.inboundStats())) as Inbound[]).find((s) => s.participantId === 'room-k' && s.source === source);

beforeAll(async () => {
  node = await startTestNode({}, { SFU_WORKERS: '1' });
}, 60_000);
afterAll(async () => {
  encoder?.stop();
  await whip?.close();
  for (const c of clients) c.close();
  for (const tab of tabs) await tab.close();
  await node?.close();
});

describe('a partner classroom\'s encoder as its room camera', () => {
  it('connects the encoder from the console, plays it on the wall, relays its microphone on the floor, and shows a stall', { timeout: 240_000 }, async () => {
    const clip = await hardwareClip('h264-aac');
    const lecturer = await open({ role: 'lecturer', name: '王教授', subject: 'prof' }, 'hw-lecturer');
    await lecturer.getByRole('button', { name: '开始直播' }).click();
    const room = await open({ role: 'classroom', name: '喀什一教室', subject: 'room-k', classroomId: 'kashgar-1', classroomName: '喀什一教室' }, 'hw-room');
    const student = await open({ role: 'student', name: '李华', subject: 'li' }, 'hw-student');

    await lecturer.getByRole('tab', { name: '考勤' }).click();
    expect(await lecturer.getByText('浏览器', { exact: true }).count()).toBeGreaterThan(0); // the room sends from its browser for now
    await lecturer.getByRole('combobox', { name: '喀什一教室 的信号源' }).selectOption({ label: 'RTMP 编码器' });
    await lecturer.getByRole('button', { name: '接入 喀什一教室' }).click();
    // What IT types into the encoder, read off the panel as a person would.
    const server = await lecturer.locator('dt', { hasText: '推流地址' }).locator('xpath=following-sibling::dd[1]').innerText();
    const key = await lecturer.locator('dt', { hasText: '串流密钥' }).locator('xpath=following-sibling::dd[1]').innerText();
    expect(server).toMatch(/^rtmp:\/\/127\.0\.0\.1:\d+\/live$/);
    expect(key.length).toBeGreaterThan(20);
    // The projector PC gives way: it no longer publishes its own camera.
    await eventually(() => room.evaluate(() => window.__tongtang!.state()) as Promise<{ producers: unknown[] }>, (s) => s.producers.length === 0, 15_000, 'the projector PC stops its camera');
    await room.getByText('教室摄像头 · RTMP 编码器').waitFor({ timeout: 10_000 }); // and says where the wall's picture comes from

    encoder = pushRtmp(clip, `${server}/${key}`);
    await lecturer.getByRole('status').filter({ hasText: '正常' }).waitFor({ timeout: 30_000 });
    const first = await eventually(() => inbound(lecturer, 'camera'), (s) => (s?.framesDecoded ?? 0) > 0, 30_000, 'the wall plays the encoder');
    await eventually(() => inbound(lecturer, 'camera'), (s) => (s?.framesDecoded ?? 0) > first!.framesDecoded + 25, 20_000, 'and keeps playing it');
    const tile = lecturer.getByTestId('wall-tile-kashgar-1');
    await tile.getByText(/摄像头：RTMP 编码器 · \d+ 帧\/秒/).waitFor({ timeout: 10_000 });
    await screenshot(lecturer, 'hardware-lecturer-zh');
    await expectAccessible(lecturer, 'lecturer attendance tab with classroom hardware (zh-CN)');
    expect(await clippedElements(lecturer)).toEqual([]);

    // The floor: the assistant raises the classroom's hand, the lecturer gives it the floor.
    const assistant = await TestClient.connect(node.url, node.token({ lectureId, role: 'assistant', name: '阿依老师', subject: 'ayi', classroomId: 'kashgar-1' }));
    clients.push(assistant);
    await assistant.call('lecture:join', { protocolVersion: 1 });
    await assistant.call('hand:raise', {});
    await lecturer.getByRole('button', { name: '邀请发言' }).click();
    const heard = await eventually(() => inbound(student, 'microphone'), (s) => (s?.totalSamplesReceived ?? 0) > 48_000, 30_000, 'the student hears the room microphone');
    await eventually(() => inbound(student, 'microphone'), (s) => (s?.packetsReceived ?? 0) > heard!.packetsReceived + 25, 10_000, 'and keeps hearing it');

    await lecturer.getByTestId('language-select').selectOption('en');
    await tile.getByText(/Camera: RTMP encoder · \d+ fps/).waitFor({ timeout: 10_000 });
    await lecturer.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await expectAccessible(lecturer, 'lecturer attendance tab with classroom hardware (en)');
    expect(await clippedElements(lecturer)).toEqual([]);

    // The encoder stops: within seconds the tile says so.
    encoder.stop();
    await tile.getByText('Camera: RTMP encoder · Source stalled').waitFor({ timeout: 15_000 });
    await screenshot(lecturer, 'hardware-lecturer-stalled-en');

    // The room gets an OBS that speaks WHIP: IT switches the classroom over from the console.
    await lecturer.getByRole('button', { name: 'Disconnect 喀什一教室' }).click();
    await lecturer.getByRole('combobox', { name: 'Source for 喀什一教室' }).selectOption({ label: 'WHIP encoder' });
    await lecturer.getByRole('button', { name: 'Connect 喀什一教室' }).click();
    const whipUrl = await lecturer.locator('dt', { hasText: 'WHIP server' }).locator('xpath=following-sibling::dd[1]').innerText();
    const token = await lecturer.locator('dt', { hasText: 'Bearer token' }).locator('xpath=following-sibling::dd[1]').innerText();
    expect(whipUrl).toBe(`${node.url}/whip/${lectureId}/kashgar-1`);
    whip = await whipTestClient({ video: 'vp8', audio: true });
    const res = await fetch(whipUrl, { method: 'POST', body: whip.offerSdp, headers: { 'Content-Type': 'application/sdp', Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(201);
    await whip.accept(await res.text());
    await whip.startMedia();
    await tile.getByText(/Camera: WHIP encoder · \d+ kbit\/s/).waitFor({ timeout: 30_000 });
    const before = (await inbound(lecturer, 'camera'))?.framesDecoded ?? 0;
    await eventually(() => inbound(lecturer, 'camera'), (s) => (s?.framesDecoded ?? 0) > before + 25, 30_000, 'the wall plays the WHIP encoder');
    await expectAccessible(lecturer, 'lecturer attendance tab with a WHIP source (en)');
    expect(await clippedElements(lecturer)).toEqual([]);
  });
});
