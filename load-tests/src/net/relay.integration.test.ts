/**
 * The relay on real UDP sockets over loopback: an echo server behind it, probes through it. It must
 * add what is configured (delay ± jitter, loss, the rate cap) and, configured to add nothing, add
 * next to nothing itself: that overhead is measured and printed, since every delay the tests claim
 * sits on top of it.
 */
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile } from '../stats/percentiles.ts';
import type { LinkSpec } from './profiles.ts';
import { UdpRelay, type Endpoint } from './relay.ts';

const NONE: LinkSpec = { delayMs: 0, jitterMs: 0, lossPct: 0 };
let echo: dgram.Socket;
let echoAt: Endpoint;
const relays: UdpRelay[] = [];
const sockets: dgram.Socket[] = [];

const bound = (s: dgram.Socket) => new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));

beforeAll(async () => {
  echo = dgram.createSocket('udp4');
  echo.on('message', (msg, from) => echo.send(msg, from.port, from.address));
  await bound(echo);
  echoAt = { host: '127.0.0.1', port: echo.address().port };
});
afterAll(async () => {
  for (const r of relays) await r.close();
  for (const s of [...sockets, echo]) s.close();
});

async function relay(up: LinkSpec, down: LinkSpec = NONE): Promise<UdpRelay> {
  const r = await UdpRelay.start({ listen: { host: '127.0.0.1' }, target: echoAt, up, down });
  relays.push(r);
  return r;
}

/** Sends `count` probes `gapMs` apart of `bytes` each to `to`; returns each one's RTT (ms) or null, and arrival times. */
async function probe(to: Endpoint, count: number, gapMs: number, bytes = 200): Promise<{ rtts: (number | null)[]; arrivals: number[] }> {
  const s = dgram.createSocket('udp4');
  sockets.push(s);
  await bound(s);
  const sentAt: number[] = [];
  const rtts: (number | null)[] = new Array(count).fill(null);
  const arrivals: number[] = [];
  s.on('message', (msg) => {
    const now = performance.now();
    const i = msg.readUInt32BE(0);
    rtts[i] = now - sentAt[i]!;
    arrivals.push(now);
  });
  for (let i = 0; i < count; i++) {
    const buf = Buffer.alloc(bytes);
    buf.writeUInt32BE(i, 0);
    sentAt[i] = performance.now();
    s.send(buf, to.port, to.host);
    await new Promise((r) => setTimeout(r, gapMs));
  }
  await new Promise((r) => setTimeout(r, 1000)); // the last ones in flight
  return { rtts, arrivals };
}

const got = (rtts: (number | null)[]) => rtts.filter((r): r is number => r !== null).sort((a, b) => a - b);

describe('UdpRelay', () => {
  it('adds little latency of its own when configured to add none (measured)', async () => {
    const direct = got((await probe(echoAt, 300, 5)).rtts);
    const r = await relay(NONE);
    const via = got((await probe(r.address, 300, 5)).rtts);
    expect(via.length).toBe(300);
    const overhead = { p50: percentile(via, 50) - percentile(direct, 50), p95: percentile(via, 95) - percentile(direct, 95) };
    console.log(`relay overhead at 0 ms configured (round trip, both directions): p50 ${overhead.p50.toFixed(3)} ms, p95 ${overhead.p95.toFixed(3)} ms`);
    // Two extra socket hops per round trip; a busy 2-core machine can stretch the tail.
    expect(overhead.p50).toBeLessThan(2);
    expect(overhead.p95).toBeLessThan(15);
    expect(r.stats()).toMatchObject({ clients: 1, up: { passed: 300, lost: 0 }, down: { passed: 300, lost: 0 } });
  });

  it('holds each datagram for delay ± jitter in each direction', async () => {
    const r = await relay({ delayMs: 40, jitterMs: 10, lossPct: 0 }, { delayMs: 40, jitterMs: 10, lossPct: 0 });
    const rtts = got((await probe(r.address, 200, 10)).rtts);
    expect(rtts.length).toBe(200);
    console.log(`relay 40±10 ms each way: RTT min ${rtts[0]!.toFixed(1)} p50 ${percentile(rtts, 50).toFixed(1)} max ${rtts.at(-1)!.toFixed(1)} ms`);
    expect(rtts[0]).toBeGreaterThanOrEqual(60 - 1); // never less than both minimum delays
    expect(percentile(rtts, 50)).toBeGreaterThan(75);
    expect(percentile(rtts, 50)).toBeLessThan(105); // order is kept, so a datagram can wait behind a later-drawn one; timers run late on a busy machine
    expect(percentile(rtts, 95)).toBeLessThan(100 + 40); // upper bound + timer slack on a loaded 2-core machine
  });

  it('drops the configured share of datagrams at random, per direction', async () => {
    const r = await relay({ delayMs: 0, jitterMs: 0, lossPct: 20 });
    const rtts = (await probe(r.address, 600, 2)).rtts;
    const back = rtts.filter((x) => x !== null).length;
    // Binomial(600, 0.8): mean 480, sd ≈ 9.8; ±5 sd.
    expect(back).toBeGreaterThan(430);
    expect(back).toBeLessThan(530);
    expect(r.stats().up.lost).toBe(600 - back);
    expect(r.stats().down.lost).toBe(0);
  });

  it('with lossOnMediaOnly, drops RTP/RTCP at random but lets STUN and DTLS through', async () => {
    const r = await UdpRelay.start({ listen: { host: '127.0.0.1' }, target: echoAt, up: { delayMs: 0, jitterMs: 0, lossPct: 100 }, down: NONE, lossOnMediaOnly: true });
    relays.push(r);
    const s = dgram.createSocket('udp4');
    sockets.push(s);
    await bound(s);
    const got: number[] = [];
    s.on('message', (m) => got.push(m[0]!));
    for (const first of [0x00, 0x16, 0x80, 0xbf]) s.send(Buffer.from([first, 1, 2, 3]), r.address.port, '127.0.0.1'); // STUN, DTLS, RTP, RTCP
    await new Promise((res) => setTimeout(res, 500));
    expect(got.sort((a, b) => a - b)).toEqual([0x00, 0x16]);
    expect(r.stats().up.lost).toBe(2);
  });

  it('caps the rate: 400 kbit/s offered through a 200 kbit/s link arrives at about 200 kbit/s', async () => {
    const r = await relay({ delayMs: 0, jitterMs: 0, lossPct: 0, rateKbit: 200 });
    const { arrivals } = await probe(r.address, 100, 20, 1000); // 1000 bytes every 20 ms
    const kbits = ((arrivals.length - 1) * 1000 * 8) / (arrivals.at(-1)! - arrivals[0]!);
    console.log(`relay rate cap 200 kbit/s: measured ${kbits.toFixed(0)} kbit/s, ${r.stats().up.queueDropped} tail-dropped`);
    expect(kbits).toBeGreaterThan(170);
    expect(kbits).toBeLessThan(230);
    expect(r.stats().up.queueDropped).toBeGreaterThan(20); // half the offered load cannot fit
  });
});
