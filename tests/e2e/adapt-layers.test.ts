/**
 * Time to adapt: a student's link drops from open to 300 kbit/s (kashgar's rate, tbf on its veth,
 * no loss or delay so only bandwidth moves) and later recovers. The slides on the stage must fall
 * to their low layer and climb back to the full one; both times are measured (down 4.0–7.7 s,
 * back up 1.5–15.7 s in three runs).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProfileToNetns, udpListenPorts, type NetnsConditions } from '../../load-tests/src/net/netns.ts';
import { PROFILES, type NetworkProfile } from '../../load-tests/src/net/profiles.ts';
import type { InboundStats } from '../../web-client/src/media/stats.ts';
import { zhCN } from '../../web-client/src/i18n/zh-CN.ts';
import { eventually, openTab, type BrowserTab } from '../helpers/browser.ts';
import { createNetns, makeTestCertificates, type Netns } from '../helpers/netns.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

const lectureId = 'adapt-lecture';
const RATE_ONLY: NetworkProfile = {
  name: 'rate-only', description: 'kashgar\'s 300 kbit/s, nothing else',
  down: { delayMs: 0, jitterMs: 0, lossPct: 0, rateKbit: PROFILES.kashgar.down.rateKbit! },
  up: { delayMs: 0, jitterMs: 0, lossPct: 0, rateKbit: PROFILES.kashgar.up.rateKbit! },
};
let ns: Netns;
let certs: ReturnType<typeof makeTestCertificates>;
let node: TestNode;
let conditions: NetnsConditions | undefined;
const tabs: BrowserTab[] = [];

async function open(label: string, role: 'lecturer' | 'student', inNamespace: boolean): Promise<Page> {
  const token = node.token({ lectureId, role, name: label, subject: label });
  const tab = await openTab(`${node.url}/?token=${token}`, label, {
    executablePath: inNamespace ? ns.chromium : undefined,
    args: [`--ignore-certificate-errors-spki-list=${certs.spki}`],
  });
  tabs.push(tab);
  await eventually(() => tab.page.evaluate(() => window.__tongtang!.state().joined), Boolean, 40_000, `${label} joined`);
  return tab.page;
}

const screenWidth = async (page: Page) =>
  ((await page.evaluate(() => window.__tongtang!.inboundStats())) as InboundStats[]).find((s) => s.participantId === 'adapt-lecturer' && s.source === 'screen')?.frameWidth ?? 0;

async function teardown(): Promise<void> {
  for (const tab of tabs.splice(0)) await tab.close();
  await conditions?.close();
  await node?.close();
  certs?.close();
  ns?.close();
}

beforeAll(async () => {
  ns = createNetns();
  try {
    certs = makeTestCertificates([ns.hostIp]);
    node = await startTestNode({ host: ns.hostIp, port: 0, tls: { certFile: certs.certFile, keyFile: certs.keyFile } },
      { SFU_WORKERS: '1', SFU_LISTEN_IP: ns.hostIp, SFU_RTC_PORT: '0' });
    const lecturer = await open('adapt-lecturer', 'lecturer', false);
    await lecturer.getByTestId('toggle-camera').click();
    await lecturer.getByTestId('toggle-microphone').click();
    await lecturer.getByRole('button', { name: `${zhCN.media.screen}: ${zhCN.media.off}` }).click();
    await lecturer.getByTestId('go-live-button').click();
    await eventually(() => lecturer.evaluate(() => window.__tongtang!.state()), (s) => s.producers.length === 3 && s.lectureState === 'live', 40_000, 'lecturer live');
    const [port] = udpListenPorts(ns.hostIp);
    conditions = await applyProfileToNetns(ns, RATE_ONLY, { host: ns.hostIp, port: port! });
  } catch (err) {
    await teardown();
    throw err;
  }
}, 120_000);
afterAll(teardown, 60_000);

describe('a link that drops to 300 kbit/s and recovers', () => {
  it('takes the slides down to their low layer and back up, in measured time', async () => {
    const page = await open('adapt-student', 'student', true);
    await eventually(() => screenWidth(page), (w) => w >= 1000, 60_000, 'full slides on the open link');
    conditions!.capBandwidth();
    const capped = Date.now();
    await eventually(() => screenWidth(page), (w) => w > 0 && w <= 640, 60_000, 'slides down to the low layer');
    const downMs = Date.now() - capped;
    await new Promise((r) => setTimeout(r, 5_000)); // a while on the thin link
    conditions!.uncapBandwidth();
    const uncapped = Date.now();
    await eventually(() => screenWidth(page), (w) => w >= 1000, 90_000, 'slides back to the full layer');
    const upMs = Date.now() - uncapped;
    console.log(`adapt to 300 kbit/s: slides down to the low layer in ${downMs} ms, back to the full layer ${upMs} ms after the link recovered`);
    const stage = page.getByTestId('lecture-video').locator('video');
    expect(await stage.evaluate((v: HTMLVideoElement) => !v.paused && v.videoWidth >= 1000)).toBe(true);
  }, 240_000);
});
