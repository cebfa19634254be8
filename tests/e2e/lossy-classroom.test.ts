/**
 * A partner classroom on a 2 Mbit/s link with 5 % loss and 200 ms RTT (the `lossy-5` profile; the
 * classroom's Chromium in a network namespace). Its projector must hold the lecturer's camera at
 * 360p or better, with lost packets won back by NACK/RTX; freezes are counted and bounded loosely
 * (they are frequent today: see the bound below).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProfileToNetns, udpListenPorts, type NetnsConditions } from '../../load-tests/src/net/netns.ts';
import { PROFILES } from '../../load-tests/src/net/profiles.ts';
import type { InboundStats } from '../../web-client/src/media/stats.ts';
import { eventually, openTab, screenshot, type BrowserTab } from '../helpers/browser.ts';
import { createNetns, makeTestCertificates, type Netns } from '../helpers/netns.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

const lectureId = 'lossy-classroom';
let ns: Netns;
let certs: ReturnType<typeof makeTestCertificates>;
let node: TestNode;
let conditions: NetnsConditions | undefined;
const tabs: BrowserTab[] = [];

async function open(label: string, role: 'lecturer' | 'classroom', inNamespace: boolean): Promise<Page> {
  const extra = role === 'classroom' ? { classroomId: 'kashgar-1', classroomName: 'Kashgar Room 1' } : {};
  const token = node.token({ lectureId, role, name: label, subject: label, ...extra });
  const tab = await openTab(`${node.url}/?token=${token}`, label, {
    executablePath: inNamespace ? ns.chromium : undefined,
    args: [`--ignore-certificate-errors-spki-list=${certs.spki}`],
  });
  tabs.push(tab);
  await eventually(() => tab.page.evaluate(() => window.__tongtang!.state().joined), Boolean, 40_000, `${label} joined`);
  return tab.page;
}

const camera = async (page: Page) =>
  ((await page.evaluate(() => window.__tongtang!.inboundStats())) as InboundStats[]).find((s) => s.participantId === 'lossy-room-lecturer' && s.source === 'camera');

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
    const lecturer = await open('lossy-room-lecturer', 'lecturer', false);
    await lecturer.getByTestId('toggle-camera').click();
    await lecturer.getByTestId('toggle-microphone').click();
    await lecturer.getByTestId('go-live-button').click();
    await eventually(() => lecturer.evaluate(() => window.__tongtang!.state()), (s) => s.producers.length === 2 && s.lectureState === 'live', 40_000, 'lecturer live');
    const [port] = udpListenPorts(ns.hostIp);
    conditions = await applyProfileToNetns(ns, PROFILES['lossy-5'], { host: ns.hostIp, port: port! });
  } catch (err) {
    await teardown();
    throw err;
  }
}, 120_000);
afterAll(teardown, 60_000);

describe('a partner classroom on 2 Mbit/s with 5 % loss', () => {
  it('holds the lecturer\'s camera at 360p or better, recovering loss by NACK, with few freezes', async () => {
    const room = await open('lossy-room', 'classroom', true);
    conditions!.capBandwidth();
    await eventually(() => camera(room), (s) => (s?.framesDecoded ?? 0) > 0, 60_000, 'the projector decodes the lecturer');
    await new Promise((r) => setTimeout(r, 10_000)); // the bandwidth estimate settles on the lossy link
    const before = (await camera(room))!;
    const heights: number[] = [];
    for (let i = 0; i < 15; i++) {
      await new Promise((r) => setTimeout(r, 2_000));
      heights.push((await camera(room))!.frameHeight);
    }
    const after = (await camera(room))!;
    await screenshot(room, 'e2e-weak-link-lossy-classroom');
    const minutes = 0.5;
    const freezes = after.freezeCount - before.freezeCount;
    const frozenS = after.totalFreezesDuration - before.totalFreezesDuration;
    const fps = (after.framesDecoded - before.framesDecoded) / 30;
    console.log(`lossy-5 classroom: heights over 30 s ${heights.join(',')}; ${fps.toFixed(1)} fps; ${freezes} freezes (${frozenS.toFixed(2)} s) in 30 s; `
      + `NACKs ${after.nackCount - before.nackCount}; loss rules dropped ${JSON.stringify(conditions!.dropped())}`);

    // What the room sees: the projector's video playing.
    const video = room.getByTestId('lecture-video').locator('video');
    expect(await video.evaluate((v: HTMLVideoElement) => !v.paused && v.videoHeight >= 360)).toBe(true);
    // 360p or better throughout the window (the middle layer is 640×360).
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(360);
    // Loss was being recovered: the projector asked for retransmissions.
    expect(after.nackCount - before.nackCount).toBeGreaterThan(0);
    expect(fps).toBeGreaterThan(5);
    // Freezes are counted, not yet good: a retransmission takes a 200 ms round trip and 5 % of those
    // are lost too, so the picture stalls now and then. Measured 2–28 a minute and 1–29 % of the
    // time frozen; the high figures when the busy machine let the lecturer encode only ~10 fps,
    // where Chromium already calls a 250 ms gap a freeze. The bound catches a collapse (recovery
    // broken: most frames would wait for a key frame), not polish.
    expect(freezes / minutes).toBeLessThanOrEqual(60);
    expect(frozenS / 30).toBeLessThan(0.5);
  });
});
