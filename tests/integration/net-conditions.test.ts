/**
 * The network-conditions harness applied to a real namespace: a UDP echo server on the host end of
 * the veth (where the media server would listen), a probe client inside the namespace that knows
 * nothing of the relay. Its datagrams must come back late by the configured delay, thinned by the
 * configured loss (nftables in the namespace), and squeezed by the tbf cap; afterwards nothing of
 * the harness may be left behind.
 */
import { execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProfileToNetns, udpListenPorts, type NetnsConditions, type NetworkProfile } from '@tongtang/load-tests';
import { createNetns, type Netns } from '../helpers/netns.ts';

let ns: Netns;
let echo: dgram.Socket;
let echoPort: number;
const applied: NetnsConditions[] = [];

/** Runs a probe client in the namespace: `count` datagrams of `bytes`, `gapMs` apart; per probe its RTT or null. */
function probeFromNamespace(count: number, gapMs: number, bytes: number): Promise<{ rtts: (number | null)[]; spanMs: number }> {
  const script = `
    const dgram = require('node:dgram'); const s = dgram.createSocket('udp4');
    const sent = [], rtts = new Array(${count}).fill(null); let first = 0, last = 0;
    s.on('message', (m) => { const now = performance.now(), i = m.readUInt32BE(0); rtts[i] = now - sent[i]; first ||= now; last = now; });
    let i = 0; const t = setInterval(() => {
      const b = Buffer.alloc(${bytes}); b.writeUInt32BE(i, 0); sent[i] = performance.now(); s.send(b, ${echoPort}, '${ns.hostIp}');
      if (++i === ${count}) { clearInterval(t); setTimeout(() => { console.log(JSON.stringify({ rtts, spanMs: last - first })); s.close(); }, 1500); }
    }, ${gapMs});`;
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns.name, process.execPath, '-e', script]);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`probe exited ${code}`))));
  });
}

beforeAll(async () => {
  ns = createNetns();
  echo = dgram.createSocket('udp4');
  echo.on('message', (m, from) => echo.send(m, from.port, from.address));
  await new Promise<void>((r) => echo.bind(0, ns.hostIp, () => r()));
  echoPort = echo.address().port;
});
afterAll(async () => {
  for (const c of applied) await c.close();
  echo?.close();
  ns?.close();
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('network conditions in a namespace', () => {
  it('finds the UDP port the server listens on at the host end', () => {
    expect(udpListenPorts(ns.hostIp)).toEqual([echoPort]);
  });

  it('adds the profile\'s delay through the relay and its loss through nftables, then removes both', async () => {
    const profile: NetworkProfile = {
      name: 'test', description: '',
      up: { delayMs: 30, jitterMs: 5, lossPct: 10 },
      down: { delayMs: 30, jitterMs: 5, lossPct: 0 },
    };
    const c = await applyProfileToNetns(ns, profile, { host: ns.hostIp, port: echoPort });
    applied.push(c);
    const { rtts } = await probeFromNamespace(400, 5, 200);
    const back = rtts.filter((r): r is number => r !== null);
    console.log(`namespace 30±5 ms each way, 10 % up loss: ${back.length}/400 back, RTT median ${median(back).toFixed(1)} ms, min ${Math.min(...back).toFixed(1)} ms`);
    expect(Math.min(...back)).toBeGreaterThanOrEqual(50 - 1);
    expect(median(back)).toBeGreaterThan(55);
    expect(median(back)).toBeLessThan(90); // 60 ms configured + order kept + timers on a busy machine
    // Binomial(400, 0.9): mean 360, sd 6; ±5 sd.
    expect(back.length).toBeGreaterThan(330);
    expect(back.length).toBeLessThan(390);
    expect(c.dropped()).toEqual({ down: 0, up: 400 - back.length });
    expect(c.relay!.stats().up.passed).toBe(back.length);

    await c.close();
    const tables = execFileSync('ip', ['netns', 'exec', ns.name, 'nft', 'list', 'tables']).toString();
    expect(tables).not.toContain(c.table);
    const direct = (await probeFromNamespace(50, 5, 200)).rtts.filter((r): r is number => r !== null);
    expect(direct.length).toBe(50);
    expect(median(direct)).toBeLessThan(10); // straight to the echo server again
  });

  it('caps the downlink with tbf at the profile\'s rate', async () => {
    const profile: NetworkProfile = {
      name: 'narrow', description: '',
      up: { delayMs: 0, jitterMs: 0, lossPct: 0 },
      down: { delayMs: 0, jitterMs: 0, lossPct: 0, rateKbit: 300 },
    };
    const c = await applyProfileToNetns(ns, profile, { host: ns.hostIp, port: echoPort });
    applied.push(c);
    expect(c.relay).toBeUndefined(); // nothing to delay: no relay in the path
    c.capBandwidth();
    // 1000-byte datagrams every 10 ms = 800 kbit/s offered, echoed back through a 300 kbit/s downlink.
    const { rtts, spanMs } = await probeFromNamespace(200, 10, 1000);
    const back = rtts.filter((r) => r !== null).length;
    const kbit = ((back - 1) * 1028 * 8) / spanMs; // + IP and UDP headers
    console.log(`namespace tbf 300 kbit/s: ${kbit.toFixed(0)} kbit/s measured, ${back}/200 back`);
    expect(kbit).toBeGreaterThan(240);
    expect(kbit).toBeLessThan(340);
    c.uncapBandwidth();
    expect(execFileSync('tc', ['qdisc', 'show', 'dev', ns.hostIf]).toString()).not.toContain('tbf');
    const uncapped = await probeFromNamespace(100, 10, 1000);
    expect(uncapped.rtts.filter((r) => r !== null).length).toBe(100); // 800 kbit/s fits again
    await c.close();
  });
});
