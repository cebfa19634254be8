/**
 * A lecture served over HTTPS at a network namespace's host address (the test's own CA, trusted by
 * SPKI), with Chromium tabs inside the namespace (where the link is shaped) or outside it. The
 * fixture the weak-link browser tests share: each sets its lecture up (`setUp`), shapes the
 * namespace's link with a named or its own profile (`shape`), and reads what a tab receives
 * (`inbound`).
 */
import type { Page } from 'playwright-core';
import type { Role } from '@tongtang/shared';
import { applyProfileToNetns, mediaServerUdpPorts, type NetnsConditions, type NetworkProfile } from '@tongtang/load-tests';
import type { InboundStats } from '../../web-client/src/media/stats.ts';
import { zhCN } from '../../web-client/src/i18n/zh-CN.ts';
import { eventually, openTab, type BrowserTab } from './browser.ts';
import { createNetns, makeTestCertificates, type Netns } from './netns.ts';
import type { SignalingConfig } from '../../signaling/src/config.ts';
import { startTestNode, type TestNode } from './server.ts';

export interface TabSpec {
  /** Run Chromium inside the namespace, behind its link. */
  inNamespace?: boolean;
  /** More claims for the token (a classroom's id and name). */
  extra?: { classroomId?: string; classroomName?: string };
  initScript?: string;
}

export interface NsLecture {
  ns: Netns;
  node: TestNode;
  /** Opens a participant's tab and waits until it has joined. */
  open(label: string, role: Role, spec?: TabSpec): Promise<Page>;
  /** The lecturer turns on camera and microphone (and the screen), goes live, and waits until all are published. */
  goLive(lecturer: Page, withScreen?: boolean): Promise<void>;
  /**
   * Puts `profile` on the namespace's link to the node's one media port (caps and loss rules wait
   * for the test to switch them on; see NetnsConditions). Removed by `close`.
   */
  shape(profile: NetworkProfile): Promise<NetnsConditions>;
  /** Closes the tabs, runs `afterTabs` (the test's own link conditions), lifts the shaping, then stops the node and removes the namespace. */
  close(afterTabs?: () => unknown): Promise<void>;
}

/** What a tab receives: its inbound RTP stats, one per consumer. */
export const inbound = (page: Page) => page.evaluate(() => window.__tongtang!.inboundStats()) as Promise<InboundStats[]>;

/** One participant's source among a tab's inbound stats. */
export const inboundOf = (stats: InboundStats[], participantId: string, source: string) =>
  stats.find((s) => s.participantId === participantId && s.source === source);

/**
 * Starts the lecture and runs `setUp` on it (open tabs, go live, shape the link); if anything
 * fails, everything started so far is torn down before the error is thrown.
 */
export async function startNsLecture(
  lectureId: string, setUp?: (lecture: NsLecture) => Promise<void>, config: Partial<SignalingConfig> = {},
): Promise<NsLecture> {
  const lecture = await openNsLecture(lectureId, config);
  try {
    await setUp?.(lecture);
  } catch (err) {
    await lecture.close();
    throw err;
  }
  return lecture;
}

async function openNsLecture(lectureId: string, config: Partial<SignalingConfig>): Promise<NsLecture> {
  const ns = createNetns();
  const tabs: BrowserTab[] = [];
  let certs: ReturnType<typeof makeTestCertificates> | undefined;
  let node: TestNode | undefined;
  const shaping: NetnsConditions[] = [];
  const close = async (afterTabs?: () => unknown): Promise<void> => {
    for (const tab of tabs.splice(0)) await tab.close();
    await afterTabs?.();
    for (const c of shaping.splice(0)) await c.close();
    await node?.close();
    certs?.close();
    ns.close();
  };
  try {
    certs = makeTestCertificates([ns.hostIp]);
    node = await startTestNode({ ...config, host: ns.hostIp, port: 0, tls: { certFile: certs.certFile, keyFile: certs.keyFile } },
      { SFU_WORKERS: '1', SFU_LISTEN_IP: ns.hostIp, SFU_RTC_PORT: '0' });
  } catch (err) {
    await close();
    throw err;
  }
  const started = node;
  const spki = certs.spki;
  return {
    ns,
    node: started,
    async open(label, role, spec = {}) {
      const token = started.token({ lectureId, role, name: label, subject: label, ...spec.extra });
      const tab = await openTab(`${started.url}/?token=${token}`, label, {
        executablePath: spec.inNamespace ? ns.chromium : undefined,
        args: [`--ignore-certificate-errors-spki-list=${spki}`],
        ...(spec.initScript ? { initScript: spec.initScript } : {}),
      });
      tabs.push(tab);
      await eventually(() => tab.page.evaluate(() => window.__tongtang!.state().joined), Boolean, 40_000, `${label} joined`);
      return tab.page;
    },
    async goLive(lecturer, withScreen = false) {
      await lecturer.getByTestId('toggle-camera').click();
      await lecturer.getByTestId('toggle-microphone').click();
      if (withScreen) await lecturer.getByRole('button', { name: `${zhCN.media.screen}: ${zhCN.media.off}` }).click();
      await lecturer.getByTestId('go-live-button').click();
      const producers = withScreen ? 3 : 2;
      await eventually(() => lecturer.evaluate(() => window.__tongtang!.state()), (s) => s.producers.length === producers && s.lectureState === 'live',
        40_000, `lecturer live with ${producers} producers`);
    },
    async shape(profile) {
      // The node runs one worker: its one media port is where the namespace's UDP goes (not a
      // host browser's candidate socket on the same address).
      const [port] = mediaServerUdpPorts(ns.hostIp);
      if (port === undefined) throw new Error(`no media port listening on ${ns.hostIp}`);
      const conditions = await applyProfileToNetns(ns, profile, { host: ns.hostIp, port });
      shaping.push(conditions);
      return conditions;
    },
    close,
  };
}
