/**
 * Child process: the lecturer's camera (3-layer VP8 simulcast) and microphone, from the load
 * test's pre-encoded clips, timed by the clips' own frame times and looped, as plain RTP from one
 * UDP socket to the SFU's ingress PlainTransport. Video goes through a pacer as a browser's does;
 * audio goes straight out (libwebrtc gives it priority). PLIs are not answered: the clips carry a
 * key frame every 2 s, which the bench's warm-up waits for.
 */
import dgram from 'node:dgram';
import os from 'node:os';
import { loadClips } from '../rtp/clips.ts';
import { packetizeVp8 } from '../rtp/vp8.ts';
import { epochNow, StreamSender, type RtpSink } from '../rtp/streamSender.ts';
import { serveParent } from './child.ts';
import { Pacer } from './pacer.ts';
import type { SenderReady, SenderSetup, SenderStats } from './protocol.ts';

/** Frames are 33 ms (video) and 20 ms (audio) apart; a 2 ms tick keeps each within 2 ms of its time. */
const TICK_MS = 2;
/** Sender reports let the SFU line up the simulcast layers' timestamps (needed to switch layers). */
const SENDER_REPORT_MS = 1000;
/** Ahead of the worker and the receiver: the input must stay on time however loaded the machine is. */
const NICE = -10;

const setup = JSON.parse(process.argv[2]!) as SenderSetup;
const clips = loadClips(setup.clipDir);
const socket = dgram.createSocket('udp4');
await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
socket.connect(setup.port, '127.0.0.1');
await new Promise((resolve) => socket.once('connect', resolve));

let nice: number | string;
try {
  os.setPriority(NICE);
  nice = os.getPriority();
} catch (err) {
  nice = `unchanged (${(err as NodeJS.ErrnoException).code ?? 'error'})`; // not root: the gap stat shows whether it mattered
}

const send = (packet: Buffer) => socket.send(packet);
const pacer = setup.pacingBytesPerMs > 0 ? new Pacer(setup.pacingBytesPerMs, send) : null;
const sinkTo = (out: (packet: Buffer) => void): RtpSink => ({
  state: 'connected',
  sendRtp(payload, header) {
    const packet = Buffer.concat([header.serialize(header.serializeSize), payload]);
    out(packet);
    return Promise.resolve(packet.length);
  },
});
const videoSink = sinkTo(pacer ? (p) => pacer.enqueue(p) : send);
const audioSink = sinkTo(send);
const senders = [
  ...clips.camera.map((clip, i) => new StreamSender({
    clip, kind: 'video', ssrc: setup.videoSsrcs[i]!, payloadType: setup.videoPayloadType, clockRate: 90_000, transport: videoSink,
  })),
  new StreamSender({ clip: clips.mic, kind: 'audio', ssrc: setup.audioSsrc, payloadType: setup.audioPayloadType, clockRate: 48_000, transport: audioSink }),
];

/** Packets per second the clips hold, looped: what every window should see the sender send. */
const nominalPps = [...clips.camera, clips.mic].reduce((sum, clip, i) => {
  const packets = clip.frames.reduce((n, f) => n + (i < clips.camera.length ? packetizeVp8(f.data, 0).length : 1), 0);
  return sum + (packets * 1000) / clip.durationMs;
}, 0);

const start = epochNow();
for (const s of senders) s.start(start);
let lastTick = performance.now();
let maxTickGapMs = 0;
let maxPacerQueue = 0;
setInterval(() => {
  const now = performance.now();
  maxTickGapMs = Math.max(maxTickGapMs, now - lastTick);
  lastTick = now;
  const epoch = epochNow();
  for (const s of senders) s.tick(epoch);
  maxPacerQueue = Math.max(maxPacerQueue, pacer?.queued ?? 0);
  pacer?.drain(now);
}, TICK_MS);
setInterval(() => {
  const epoch = epochNow();
  socket.send(Buffer.concat(senders.map((s) => s.senderReport(epoch).serialize())));
}, SENDER_REPORT_MS);

serveParent<SenderReady, SenderStats>({ nice, nominalPps }, () => {
  const stats = {
    atMs: epochNow(),
    packets: senders.reduce((n, s) => n + s.packets, 0),
    bytes: senders.reduce((n, s) => n + s.bytes, 0),
    maxTickGapMs,
    maxPacerQueue,
  };
  maxTickGapMs = 0;
  maxPacerQueue = 0;
  return stats;
});
