/**
 * Glass-to-glass latency of the lecturer's camera at a partner classroom's projector, in real
 * Chromium: the lecturer's camera is a canvas carrying a clock (clockScripts.ts), the classroom's
 * page reads the clock back from each decoded frame about to be shown. Same machine, same clock.
 * The lecturer's page also reads its own self-view: the canvas → capture → <video> path alone,
 * i.e. what the measuring setup itself costs without any encoding or network.
 *
 * Each run: a fresh HTTPS node in a network namespace, the lecturer outside, the classroom either
 * outside (loopback) or inside the namespace behind the weak-link harness at `--delay` ms one way
 * (UDP media through the relay; no loss, no cap). After `--settle` s the clock is read for
 * `--seconds` s, and freezes (Chromium's freezeCount) over the window are reported too.
 *
 *   npm run bench:latency [-- --runs 3 --seconds 20 --delay 0|75 --lever NAME]
 *
 * Levers (applied from outside through the page's peer connections, to compare one at a time):
 *   none | jitter0 (receiver jitterBufferTarget = 0) | playout0 (receiver playoutDelayHint = 0)
 *   | motion (track contentHint 'motion') | maintain-framerate (degradationPreference)
 *   | immediate (the server maps the playout-delay extension, min 0 max 0, for the projector's
 *     consumers: IMMEDIATE_PLAYOUT_ROLES=classroom; Chromium renders frames as soon as decoded)
 *   | top-only (a diagnosis, not a lever to ship: the lecturer's camera encodes its 720p layer
 *     alone, to see what the two lower layers cost the encoder)
 *
 * Each run also splits the delay by stage from Chromium's own counters over the window: the
 * sender's encode time per frame and pacer delay per packet (top layer), the receiver's jitter
 * buffer delay and decode time per frame. What is left of the glass-to-glass p50 after capture
 * (self-view p50) and these stages is rendering, the network and the measuring itself.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { CLOCK_RECEIVER, CLOCK_SENDER_WITH_SELF_VIEW, type NetworkProfile } from '@tongtang/load-tests';
import { eventually } from '../helpers/browser.ts';
import { startNsLecture } from '../helpers/nsLecture.ts';
import { count, mapsPlayoutDelay, widestVideo } from '../helpers/peerStats.ts';

const LEVERS = ['none', 'jitter0', 'playout0', 'motion', 'maintain-framerate', 'top-only', 'immediate'] as const;
type Lever = (typeof LEVERS)[number];

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '20' },
    settle: { type: 'string', default: '8' },
    delay: { type: 'string', default: '0' },
    lever: { type: 'string', default: 'none' },
  },
});
const runs = Number(values.runs);
const seconds = Number(values.seconds);
const settle = Number(values.settle);
const delayMs = Number(values.delay);
const lever = values.lever as Lever;
if (!LEVERS.includes(lever)) throw new Error(`unknown --lever ${lever}: one of ${LEVERS.join(', ')}`);
if (!(runs > 0 && seconds > 0 && delayMs >= 0)) throw new Error('--runs, --seconds must be > 0 and --delay ≥ 0');

interface Sample { ms: number; width: number; height: number }
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const recvPath = (page: Page) => page.evaluate(() => window.__tongtang!.network().path);
const samples = (page: Page) => page.evaluate(() => (window as unknown as { __clock: { samples(): Sample[] } }).__clock.samples());
const reset = (page: Page) => page.evaluate(() => (window as unknown as { __clock: { reset(): void } }).__clock.reset());
const freezes = (page: Page) => page.evaluate(async () => {
  let count = 0;
  let seconds = 0;
  for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
    if (pc.connectionState === 'closed') continue;
    (await pc.getStats()).forEach((s: { type: string; kind?: string; freezeCount?: number; totalFreezesDuration?: number }) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        count += s.freezeCount ?? 0;
        seconds += s.totalFreezesDuration ?? 0;
      }
    });
  }
  return { count, seconds };
});

/** The lecturer's top layer: frames per second sent, ms of encoding per frame, and what limits it. */
async function encoder(page: Page) {
  const top = await widestVideo(page, 'outbound-rtp');
  const frames = count(top, 'framesEncoded');
  return { fps: count(top, 'framesPerSecond'), encodeMs: frames ? (1000 * count(top, 'totalEncodeTime')) / frames : 0,
    limit: String(top?.qualityLimitationReason ?? 'none'), width: count(top, 'frameWidth') };
}

/** Chromium's cumulative counters behind the per-stage split: the lecturer's top layer out, the projector's widest video in. */
interface StageCounters {
  encodeS: number; framesEncoded: number; sendDelayS: number; packetsSent: number;
  jitterS: number; jitterEmitted: number; decodeS: number; framesDecoded: number;
}
async function stageCounters(lecturer: Page, room: Page): Promise<StageCounters> {
  const [out, inb] = await Promise.all([widestVideo(lecturer, 'outbound-rtp'), widestVideo(room, 'inbound-rtp')]);
  return {
    encodeS: count(out, 'totalEncodeTime'), framesEncoded: count(out, 'framesEncoded'),
    sendDelayS: count(out, 'totalPacketSendDelay'), packetsSent: count(out, 'packetsSent'),
    jitterS: count(inb, 'jitterBufferDelay'), jitterEmitted: count(inb, 'jitterBufferEmittedCount'),
    decodeS: count(inb, 'totalDecodeTime'), framesDecoded: count(inb, 'framesDecoded'),
  };
}
/** Per-stage milliseconds over the window between two readings. */
function stages(a: StageCounters, b: StageCounters): { encode: number; pacer: number; jitter: number; decode: number } {
  const per = (ds: number, dn: number) => (dn > 0 ? (1000 * ds) / dn : NaN);
  return {
    encode: per(b.encodeS - a.encodeS, b.framesEncoded - a.framesEncoded),
    pacer: per(b.sendDelayS - a.sendDelayS, b.packetsSent - a.packetsSent),
    jitter: per(b.jitterS - a.jitterS, b.jitterEmitted - a.jitterEmitted),
    decode: per(b.decodeS - a.decodeS, b.framesDecoded - a.framesDecoded),
  };
}

/** Applies a lever to the live connections of the classroom (receiver levers) or lecturer (sender levers). */
async function applyLever(lecturer: Page, room: Page): Promise<void> {
  if (lever === 'jitter0' || lever === 'playout0') {
    await room.evaluate((which) => {
      for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
        for (const r of pc.getReceivers()) {
          if (r.track.kind !== 'video') continue;
          if (which === 'jitter0') (r as unknown as { jitterBufferTarget: number }).jitterBufferTarget = 0;
          else (r as unknown as { playoutDelayHint: number }).playoutDelayHint = 0;
        }
      }
    }, lever);
  } else if (lever === 'motion' || lever === 'maintain-framerate' || lever === 'top-only') {
    await lecturer.evaluate(async (which) => {
      for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
        for (const s of pc.getSenders()) {
          if (s.track?.kind !== 'video') continue;
          if (which === 'motion') s.track.contentHint = 'motion';
          else if (which === 'top-only') {
            const p = s.getParameters();
            if (p.encodings.length < 2) continue; // not the simulcast camera
            const top = p.encodings.map((e) => e.scaleResolutionDownBy ?? 1).lastIndexOf(1);
            await s.setParameters({ ...p, encodings: p.encodings.map((e, i) => ({ ...e, active: i === top })) });
          } else await s.setParameters({ ...s.getParameters(), degradationPreference: 'maintain-framerate' } as RTCRtpSendParameters);
        }
      }
    }, lever);
  }
}

const delayProfile = (ms: number): NetworkProfile => ({
  name: `delay-${ms}`, description: `${ms} ms one way, no loss, no cap`,
  down: { delayMs: ms, jitterMs: 0, lossPct: 0 }, up: { delayMs: ms, jitterMs: 0, lossPct: 0 },
});

interface RunResult {
  p50: number; p95: number; n: number; selfP50: number; selfP95: number; size: string; freezes: number; frozenS: number; enc: string;
  stage: ReturnType<typeof stages>;
  path: string;
}

async function oneRun(i: number): Promise<RunResult> {
  const lecture = await startNsLecture(`latency-${process.pid}-${i}`, undefined,
    lever === 'immediate' ? { immediatePlayoutRoles: new Set(['classroom'] as const) } : {});
  try {
    const lecturer = await lecture.open('lat-lecturer', 'lecturer', { initScript: CLOCK_SENDER_WITH_SELF_VIEW });
    await lecture.goLive(lecturer);
    if (delayMs > 0) await lecture.shape(delayProfile(delayMs));
    const room = await lecture.open('lat-room', 'classroom', {
      inNamespace: delayMs > 0, initScript: CLOCK_RECEIVER, extra: { classroomId: 'room-1', classroomName: 'Room 1' },
    });
    await eventually(() => samples(room), (s) => s.filter((x) => x.width >= 1280).length > 30, 60_000, 'the projector reads the clock at 720p');
    // Through the harness, the media must really take the delayed UDP path: ICE may otherwise settle
    // on the media server's TCP candidate, which the relay does not delay (seen: p50 51 ms at 75 ms one way).
    const path = await eventually(() => recvPath(room), (p) => delayMs === 0 || (p?.protocol === 'udp' && (p.rttMs ?? 0) >= 1.6 * delayMs),
      30_000, `the projector's media on the delayed UDP path (≥ ${1.6 * delayMs} ms RTT)`);
    await applyLever(lecturer, room);
    await new Promise((r) => setTimeout(r, settle * 1000));
    await reset(room);
    await reset(lecturer);
    const f0 = await freezes(room);
    const c0 = await stageCounters(lecturer, room);
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const f1 = await freezes(room);
    const c1 = await stageCounters(lecturer, room);
    const enc = await encoder(lecturer);
    const got = await samples(room);
    // 720p frames when the projector got the top layer in the window; all frames (sizes listed) if the
    // sender had stepped down (a starved machine or a bandwidth estimate still climbing).
    const top = got.filter((s) => s.width >= 1280).map((s) => s.ms);
    const at720 = top.length >= got.length / 2 ? top : got.map((s) => s.ms);
    const self = (await samples(lecturer)).map((s) => s.ms);
    const sizes = [...new Set(got.map((s) => `${s.width}x${s.height}`))].join(',');
    return {
      p50: pct(at720, 50), p95: pct(at720, 95), n: at720.length, selfP50: pct(self, 50), selfP95: pct(self, 95),
      size: sizes, freezes: f1.count - f0.count, frozenS: f1.seconds - f0.seconds,
      enc: `${enc.width}px ${enc.fps} fps, ${enc.encodeMs.toFixed(1)} ms/frame encode, limited by ${enc.limit}`,
      stage: stages(c0, c1),
      path: `${path ? `${path.protocol}, ICE RTT ${path.rttMs ?? '?'} ms` : 'unknown'}; playout-delay ${(await mapsPlayoutDelay(room)) ? 'mapped' : 'not mapped'}`,
    };
  } finally {
    await lecture.close();
  }
}

const results: RunResult[] = [];
for (let i = 0; i < runs; i++) {
  // Another program creating a network namespace makes Chromium abort a page load
  // (ERR_NETWORK_CHANGED) now and then: such a run is started again once.
  const r = await oneRun(i).catch((err) => {
    process.stderr.write(`run ${i + 1} failed (${String(err).split('\n')[0]}); once more\n`);
    return oneRun(i);
  });
  results.push(r);
  process.stderr.write(`run ${i + 1}: p50 ${r.p50} ms, p95 ${r.p95} ms over ${r.n} frames (sizes ${r.size}); `
    + `self-view p50 ${r.selfP50} / p95 ${r.selfP95} ms; `
    + `stages: encode ${r.stage.encode.toFixed(1)}, pacer ${r.stage.pacer.toFixed(1)}, jitter buffer ${r.stage.jitter.toFixed(1)}, decode ${r.stage.decode.toFixed(1)} ms; ${r.freezes} freezes (${r.frozenS.toFixed(2)} s); lecturer ${r.enc}; path ${r.path}; load ${os.loadavg()[0]!.toFixed(1)}\n`);
}
const span = (k: keyof RunResult) => {
  const xs = results.map((r) => r[k] as number);
  return `${Math.min(...xs)}–${Math.max(...xs)}`;
};
const stageSpan = (k: keyof RunResult['stage']) => {
  const xs = results.map((r) => r.stage[k]);
  return `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;
};
process.stdout.write(`glass-to-glass, lecturer camera → classroom projector, 720p, ${delayMs ? `${delayMs} ms one way (harness)` : 'loopback'}, lever ${lever}, `
  + `${runs} runs × ${seconds} s:\n  p50 ${span('p50')} ms, p95 ${span('p95')} ms; self-view (capture only) p50 ${span('selfP50')} ms, p95 ${span('selfP95')} ms; `
  + `freezes ${span('freezes')} per run;\n  stages (ms): encode ${stageSpan('encode')}, pacer ${stageSpan('pacer')}, `
  + `jitter buffer ${stageSpan('jitter')}, decode ${stageSpan('decode')}; load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores\n`);
process.exit(0);
