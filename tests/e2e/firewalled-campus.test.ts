/**
 * Campus firewalls, for real: a student's Chromium runs in a network namespace whose nftables
 * rules first drop all UDP, then allow nothing but TCP port 443. The node serves HTTPS on :443 of
 * the host end of the veth and hands out TURN credentials; the project's coturn (scripts/turn.sh)
 * listens on a second host address with TLS on :443 (the test CA's certificate, trusted in
 * Chromium by its SPKI hash). The lecturer publishes from an unfirewalled Chromium. Each student
 * must receive the lecture, and the selected ICE candidate pair must say how. Without TURN, the
 * pre-join check must find the SFU's own ICE-TCP port when UDP is blocked.
 */
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransportPath } from '../../web-client/src/media/stats.ts';
import { startCoturn, type Coturn } from '../../signaling/src/turn/coturn.ts';
import { zhCN } from '../../web-client/src/i18n/zh-CN.ts';
import { eventually, openTab, screenshot, type BrowserTab } from '../helpers/browser.ts';
import { createNetns, makeTestCertificates, type Netns } from '../helpers/netns.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

type Inbound = { participantId: string; source: string; packetsReceived: number; framesDecoded: number };

const lectureId = 'campus-lecture';
const secret = `turn-secret-${process.pid}`;
let ns: Netns;
let certs: ReturnType<typeof makeTestCertificates>;
let coturn: Coturn | undefined;
let node: TestNode;
const tabs: BrowserTab[] = [];

const TABLE = 'tt_campus';
const NO_UDP = `table inet ${TABLE} {
  chain out { type filter hook output priority 0; policy accept; meta l4proto udp counter drop; }
  chain in { type filter hook input priority 0; policy accept; meta l4proto udp counter drop; }
}`;
const ONLY_TCP_443 = `table inet ${TABLE} {
  chain out { type filter hook output priority 0; policy drop; oif "lo" accept; ct state established,related accept; tcp dport 443 accept; counter; }
}`;

/** Packets the namespace's firewall dropped so far (its counters). */
function dropped(): number {
  const text = execFileSync('ip', ['netns', 'exec', ns.name, 'nft', 'list', 'table', 'inet', TABLE]).toString();
  return [...text.matchAll(/packets (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

async function open(label: string, url: string, inNamespace: boolean): Promise<Page> {
  const tab = await openTab(url, label, {
    executablePath: inNamespace ? ns.chromium : undefined,
    args: [`--ignore-certificate-errors-spki-list=${certs.spki}`],
  });
  tabs.push(tab);
  return tab.page;
}

const state = (page: Page) => page.evaluate(() => window.__tongtang!.state());
const path = (page: Page) => page.evaluate(() => window.__tongtang!.network().path) as Promise<TransportPath | null>;
const inbound = (page: Page) => page.evaluate(() => window.__tongtang!.inboundStats()) as Promise<Inbound[]>;

/** Joins as a student inside the namespace and waits until the lecturer's camera is decoded. */
async function studentReceives(label: string): Promise<Page> {
  const token = node.token({ lectureId, role: 'student', name: label, subject: label });
  const page = await open(label, `${node.url}/?token=${token}`, true);
  await eventually(() => state(page), (s) => s.joined, 30_000, `${label} joined`);
  const camera = (s: Inbound[]) => s.find((x) => x.participantId === 'lecturer' && x.source === 'camera');
  const first = await eventually(() => inbound(page), (s) => (camera(s)?.framesDecoded ?? 0) > 0, 45_000, `${label} decodes the lecturer camera`);
  await eventually(() => inbound(page), (s) => (camera(s)?.framesDecoded ?? 0) > camera(first)!.framesDecoded + 10, 20_000, `${label} keeps decoding`);
  const audio = (s: Inbound[]) => s.find((x) => x.participantId === 'lecturer' && x.source === 'microphone');
  await eventually(() => inbound(page), (s) => (audio(s)?.packetsReceived ?? 0) > 0, 20_000, `${label} hears the lecturer`);
  return page;
}

beforeAll(async () => {
  ns = createNetns(1);
  try {
    const turnIp = ns.extraHostIps[0]!;
    certs = makeTestCertificates([ns.hostIp, turnIp]);
    coturn = await startCoturn({
      TURN_SECRET: secret, TURN_LISTEN_IP: turnIp, TURN_PORT: '3478', TURN_TLS_PORT: '443',
      TURN_TLS_CERT: certs.certFile, TURN_TLS_KEY: certs.keyFile, TURN_MIN_PORT: '49160', TURN_MAX_PORT: '49260',
      TURN_PEER_IPS: ns.hostIp, // as in production: the relay reaches the SFU and nothing else
    }, turnIp);
    node = await startTestNode({
      host: ns.hostIp, port: 443, tls: { certFile: certs.certFile, keyFile: certs.keyFile },
      turn: { secret, ttlSeconds: 600, urls: [`turn:${turnIp}:3478?transport=udp`, `turn:${turnIp}:3478?transport=tcp`, `turns:${turnIp}:443?transport=tcp`] },
    }, { SFU_WORKERS: '1', SFU_LISTEN_IP: ns.hostIp, SFU_RTC_PORT: '0' });
    // The lecturer's campus has an open network: camera and microphone, live.
    const token = node.token({ lectureId, role: 'lecturer', name: 'Prof. Wang', subject: 'lecturer' });
    const lecturer = await open('campus-lecturer', `${node.url}/?token=${token}`, false);
    await eventually(() => state(lecturer), (s) => s.joined, 30_000, 'lecturer joined');
    await lecturer.getByTestId('toggle-camera').click();
    await lecturer.getByTestId('toggle-microphone').click();
    await lecturer.getByTestId('go-live-button').click();
    await eventually(() => state(lecturer), (s) => s.producers.length === 2 && s.lectureState === 'live', 30_000, 'lecturer live');
  } catch (err) {
    console.error(coturn?.output());
    await teardown();
    throw err;
  }
}, 120_000);

async function teardown(): Promise<void> {
  for (const tab of tabs.splice(0)) await tab.close();
  await node?.close();
  await coturn?.stop();
  certs?.close();
  ns?.close();
}
afterAll(teardown, 60_000);

describe('a campus that blocks UDP', () => {
  beforeAll(() => ns.firewall(NO_UDP));

  it('still receives the lecture, over TCP (ICE-TCP or TURN over TCP/TLS)', async () => {
    const page = await studentReceives('no-udp-student');
    const selected = await eventually(() => path(page), (p) => p !== null, 20_000, 'selected candidate pair');
    // A relayed pair reaches TURN over TCP or TLS; a direct one is the SFU's own ICE-TCP port.
    if (selected!.relayed) expect(['tcp', 'tls']).toContain(selected!.relayProtocol);
    else expect(selected!.protocol).toBe('tcp');
    expect(dropped(), 'the browser tried UDP and the firewall dropped it').toBeGreaterThan(0);
    await screenshot(page, 'e2e-campus-no-udp');
    await tabs.pop()!.close();
  });

  it('finds the SFU\'s own ICE-TCP port in the pre-join check (no TURN involved)', async () => {
    const check = await open('no-udp-check', `${node.url}/`, true);
    const media = check.getByTestId('check-media');
    await expect.poll(() => media.getAttribute('data-status'), { timeout: 30_000 }).toBe('ok');
    expect(await media.getAttribute('data-protocol')).toBe('tcp');
    expect(await media.textContent()).toMatch(/TCP ·/);
    await tabs.pop()!.close();
  });
});

describe('a campus that allows only TCP 443', () => {
  it('receives the lecture through TURN over TLS on 443', async () => {
    execFileSync('ip', ['netns', 'exec', ns.name, 'nft', 'delete', 'table', 'inet', TABLE]);
    ns.firewall(ONLY_TCP_443);
    const page = await studentReceives('tls-443-student');
    const selected = await eventually(() => path(page), (p) => p !== null, 20_000, 'selected candidate pair');
    expect(selected).toMatchObject({ relayed: true, relayProtocol: 'tls' });
    expect(dropped(), 'direct media and plain TURN were blocked').toBeGreaterThan(0);
    // The student can see it too: the connection check in the devices dialog names the path.
    await page.getByRole('button', { name: zhCN.setup.open }).click();
    const media = page.getByRole('dialog').getByTestId('check-media');
    await expect.poll(() => media.textContent(), { timeout: 20_000 }).toMatch(/TURN\/TLS · /);
    await screenshot(page, 'e2e-campus-tls-443');
  });

  it('tells a visitor of the join page that media will go through the relay, not that it is blocked', async () => {
    const check = await open('tls-443-check', `${node.url}/`, true);
    const media = check.getByTestId('check-media');
    await expect.poll(() => media.getAttribute('data-status'), { timeout: 40_000 }).toBe('pending');
    expect(await media.textContent()).toContain(zhCN.setup.mediaViaTurn);
    expect(await media.textContent()).not.toContain(zhCN.setup.mediaBlocked);
  });
});
