/**
 * The lecture on a second machine: Chromium in its own network namespace opens the node at a
 * private address that is not localhost, over HTTPS with the test's own CA (trusted for this
 * run by the leaf key's SPKI hash). The plain-HTTP port redirects there; the page is a secure
 * context, so the lecturer's camera works and a student in the same namespace sees it playing.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zhCN } from '../../web-client/src/i18n/zh-CN.ts';
import { eventually, openTab, screenshot, type BrowserTab } from '../helpers/browser.ts';
import { createNetns, makeTestCertificates, type Netns } from '../helpers/netns.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

const lectureId = 'https-lecture';
let ns: Netns;
let certs: ReturnType<typeof makeTestCertificates>;
let node: TestNode;
const tabs: BrowserTab[] = [];

async function open(url: string, label: string): Promise<Page> {
  const tab = await openTab(url, label, { executablePath: ns.chromium, args: [`--ignore-certificate-errors-spki-list=${certs.spki}`] });
  tabs.push(tab);
  return tab.page;
}

/** The lecture video on a receiving page: frames keep coming (currentTime advances) at a real size. */
const playing = (page: Page) => page.getByTestId('lecture-video').locator('video').evaluate(async (video: HTMLVideoElement) => {
  const t0 = video.currentTime;
  await new Promise((r) => setTimeout(r, 1_000));
  return { advancing: video.currentTime > t0, width: video.videoWidth, paused: video.paused };
});

beforeAll(async () => {
  ns = createNetns();
  try {
    certs = makeTestCertificates([ns.hostIp]);
    node = await startTestNode(
      { host: ns.hostIp, port: 0, tls: { certFile: certs.certFile, keyFile: certs.keyFile, httpsPort: 0 } },
      { SFU_WORKERS: '1', SFU_LISTEN_IP: ns.hostIp, SFU_RTC_PORT: '0' },
    );
  } catch (err) {
    ns.close();
    certs?.close();
    throw err;
  }
}, 60_000);
afterAll(async () => {
  for (const tab of tabs) await tab.close();
  await node?.close();
  certs?.close();
  ns?.close();
});

describe('a lecture over HTTPS at a LAN address', () => {
  it('redirects the lecturer from http:// to https://, where the camera works', async () => {
    expect(node.url).toBe(`https://${ns.hostIp}:${new URL(node.url).port}`);
    const token = node.token({ lectureId, role: 'lecturer', name: 'Prof. Wang', subject: 'lecturer' });
    const lecturer = await open(`http://${ns.hostIp}:${node.redirectPort}/?token=${token}`, 'https-lecturer');
    await expect.poll(() => lecturer.url(), { timeout: 15_000 }).toMatch(new RegExp(`^https://${ns.hostIp.replace(/\./g, '\\.')}:\\d+/`));
    // What a plain-HTTP page at this address lacks: a secure context and with it getUserMedia.
    expect(await lecturer.evaluate(() => ({ secure: window.isSecureContext, gum: typeof navigator.mediaDevices?.getUserMedia }))).toEqual({ secure: true, gum: 'function' });

    await lecturer.getByRole('button', { name: `${zhCN.media.camera}: ${zhCN.media.off}` }).click();
    await lecturer.getByRole('button', { name: `${zhCN.media.microphone}: ${zhCN.media.off}` }).click();
    await expect.poll(() => lecturer.getByRole('button', { name: `${zhCN.media.camera}: ${zhCN.media.on}` }).isVisible(), { timeout: 20_000 }).toBe(true);
    await lecturer.getByRole('button', { name: zhCN.lecture.goLive }).click();
    await expect.poll(async () => (await node.media.lectureStats(lectureId)).producers, { timeout: 20_000 }).toBe(2);
  });

  it('shows the lecturer\'s camera playing to a student on the same network', async () => {
    const token = node.token({ lectureId, role: 'student', name: 'Li Hua', subject: 'student-1' });
    const student = await open(`${node.url}/?token=${token}`, 'https-student');
    await expect.poll(() => student.getByTestId('lecture-video').locator('video').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await student.getByText(zhCN.lecture.waitingVideo).isVisible()).toBe(false);
    const video = await eventually(() => playing(student), (v) => v.advancing && v.width > 0 && !v.paused, 30_000, 'lecture video playing');
    expect(video.width).toBeGreaterThan(0);
    // Media really came over the namespace's veth to the announced LAN address.
    const path = await eventually(() => student.evaluate(() => window.__tongtang!.network().path), (p) => p !== null, 20_000, 'selected ICE path');
    expect(path).toMatchObject({ relayed: false });
    await screenshot(student, 'e2e-https-student');
  });
});
