/**
 * Slides for the weakest site: the lecturer's screen share is published as two simulcast layers
 * (checked on the server's producer), a student on a 250 kbit/s link (Chromium in a network
 * namespace, tbf on the veth) keeps getting the slides on the low layer, and a student on a good
 * link gets the full one. Served over HTTPS at the namespace's host address, since the screen
 * picker, like the camera, needs a secure page.
 */
import { execFileSync } from 'node:child_process';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zhCN } from '../../web-client/src/i18n/zh-CN.ts';
import { eventually, openTab, screenshot, type BrowserTab } from '../helpers/browser.ts';
import { createNetns, makeTestCertificates, type Netns } from '../helpers/netns.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

type Inbound = { participantId: string; source: string; framesDecoded: number; frameWidth: number };

const lectureId = 'screen-lecture';
let ns: Netns;
let certs: ReturnType<typeof makeTestCertificates>;
let node: TestNode;
const tabs: Record<string, BrowserTab> = {};
const videoProducers: types.Producer[] = [];

// Every video producer the node's workers create, as mediasoup itself sees it.
mediasoup.observer.on('newworker', (worker) => worker.observer.on('newrouter', (router) =>
  router.observer.on('newtransport', (transport) => transport.observer.on('newproducer', (producer) => {
    if (producer.kind === 'video') videoProducers.push(producer);
  }))));

async function open(label: string, role: 'lecturer' | 'student', inNamespace: boolean): Promise<Page> {
  const token = node.token({ lectureId, role, name: label, subject: label });
  tabs[label] = await openTab(`${node.url}/?token=${token}`, label, {
    executablePath: inNamespace ? ns.chromium : undefined,
    args: [`--ignore-certificate-errors-spki-list=${certs.spki}`],
  });
  const page = tabs[label]!.page;
  await eventually(() => page.evaluate(() => window.__tongtang!.state().joined), Boolean, 30_000, `${label} joined`);
  return page;
}

const screenOf = async (page: Page) =>
  ((await page.evaluate(() => window.__tongtang!.inboundStats())) as Inbound[]).find((s) => s.participantId === 'screen-lecturer' && s.source === 'screen');

/**
 * The screen decodes at the given width bound, and keeps decoding frames of that width. The
 * sender's bandwidth estimate probes upwards now and then (on a loaded machine a probe can show
 * for a moment), so "keeps" means frames of that width keep coming, not that no sample differs.
 */
async function screenFlows(page: Page, label: string, ok: (width: number) => boolean): Promise<number> {
  const first = await eventually(() => screenOf(page), (s) => (s?.framesDecoded ?? 0) > 0 && ok(s!.frameWidth), 60_000, `${label} screen layer`);
  const later = await eventually(() => screenOf(page), (s) => (s?.framesDecoded ?? 0) > first!.framesDecoded + 5 && ok(s!.frameWidth), 30_000, `${label} keeps decoding at that width`);
  return later!.frameWidth;
}

beforeAll(async () => {
  ns = createNetns();
  try {
    certs = makeTestCertificates([ns.hostIp]);
    node = await startTestNode({ host: ns.hostIp, port: 0, tls: { certFile: certs.certFile, keyFile: certs.keyFile } },
      { SFU_WORKERS: '1', SFU_LISTEN_IP: ns.hostIp, SFU_RTC_PORT: '0' });
  } catch (err) {
    ns.close();
    certs?.close();
    throw err;
  }
}, 60_000);
afterAll(async () => {
  for (const tab of Object.values(tabs)) await tab.close();
  await node?.close();
  certs?.close();
  ns?.close();
});

describe('screen share with layers', () => {
  it('publishes the lecturer\'s screen as two simulcast layers, both arriving at the SFU', async () => {
    const lecturer = await open('screen-lecturer', 'lecturer', false);
    await lecturer.getByRole('button', { name: `${zhCN.media.screen}: ${zhCN.media.off}` }).click();
    await lecturer.getByRole('button', { name: zhCN.lecture.goLive }).click();
    await expect.poll(() => lecturer.getByRole('button', { name: `${zhCN.media.screen}: ${zhCN.media.on}` }).isVisible(), { timeout: 20_000 }).toBe(true);
    await expect.poll(() => videoProducers.length, { timeout: 20_000 }).toBe(1);
    const producer = videoProducers[0]!;
    expect(producer.type).toBe('simulcast');
    expect(producer.rtpParameters.encodings?.length).toBe(2);
    const layersWithBytes = async () => (await producer.getStats()).filter((s) => s.byteCount > 0).length;
    await expect.poll(layersWithBytes, { timeout: 30_000 }).toBe(2);
  });

  it('keeps a student on a 250 kbit/s link on the slides (low layer) while a good link gets the full one', async () => {
    const good = await open('screen-good', 'student', false);
    const weak = await open('screen-weak', 'student', true);
    const full = await screenFlows(good, 'good link', (w) => w >= 1000);
    // Squeeze the weak site's downlink once its page has loaded (the app itself is ~700 kB).
    execFileSync('tc', ['qdisc', 'add', 'dev', ns.hostIf, 'root', 'tbf', 'rate', '250kbit', 'burst', '16kbit', 'latency', '300ms']);
    const low = await screenFlows(weak, 'weak link', (w) => w > 0 && w <= full / 2);
    expect(low).toBeGreaterThanOrEqual(320);
    await expect.poll(() => weak.getByTestId('lecture-video').locator('video').isVisible()).toBe(true);
    await screenshot(weak, 'e2e-screen-weak-link');
    // The good site is not dragged down by the weak one.
    await screenFlows(good, 'good link after', (w) => w === full);
  });
});
