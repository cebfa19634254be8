/**
 * The latency the gateway adds, measured on one clock (this process): a camera clip that cuts from
 * black to a busy test pattern every 2 s is pushed over RTMP through a TCP relay of ours in front of
 * the gateway's port. A cut is seen going in as the first big burst of bytes after a quiet stretch
 * (the pattern's key frame after tiny black frames), and coming out as the first big VP8 frame after
 * small ones at a consumer of the classroom's producer. The difference covers ffmpeg's RTMP demux,
 * H.264 decode, scaling, VP8 encode and RTP packetisation, plus mediasoup's forwarding; it leaves out
 * the camera's own encoder, the network and the viewer's jitter buffer and decoder.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sfuConfig } from '../../src/config.ts';
import { MediaGateway } from '../../src/gateway/MediaGateway.ts';
import { pushRtmp } from '../../test-support/testClips.ts';
import { MediasoupNode } from '../../src/MediasoupNode.ts';
import { FakeClient } from '../../test-support/fakeClient.ts';
import { tapRtp } from '../../test-support/plainRtp.ts';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 8 s at 25 fps: 1 s black, 1 s testsrc2, a key frame at every cut; no audio (it would blur the bursts). */
async function cutClip(): Promise<string> {
  const clip = path.join(os.tmpdir(), 'tongtang-gateway-cuts.flv');
  if (fs.existsSync(clip)) return clip;
  const partial = `${clip}.${process.pid}.flv`;
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25',
    '-vf', "drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:enable='lt(mod(t,2),1)'",
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '50', '-force_key_frames', 'expr:gte(t,n_forced*1)',
    '-pix_fmt', 'yuv420p', '-t', '8', '-f', 'flv', '-y', partial]);
  fs.renameSync(partial, clip);
  return clip;
}

interface Burst { at: bigint; bytes: number }

/**
 * Times of the cuts: a burst of at least `big` bytes right after a run of small ones (black frames)
 * at least `quiet.count` long and `quiet.ms` wide. The encoder side is paced (-re), so time tells
 * black from a pattern split into small reads; the output side is counted in frames, so a transcoder
 * catching up after a stall (frames bunched together) still shows its cuts.
 */
function cuts(events: Burst[], big: number, small: number, quiet: { count: number; ms: number }): bigint[] {
  const found: bigint[] = [];
  let runStart = -1; // index of the first small event of the current run
  for (let i = 0; i < events.length; i += 1) {
    const e = events[i]!;
    if (e.bytes < small) {
      if (runStart < 0) runStart = i;
      continue;
    }
    const run = runStart < 0 ? 0 : i - runStart;
    const span = runStart < 0 ? 0 : Number(e.at - events[runStart]!.at) / 1e6;
    if (e.bytes >= big && run >= quiet.count && span >= quiet.ms) found.push(e.at);
    runStart = -1;
  }
  return found;
}

/** Milliseconds from each cut going in to the same cut coming out. */
export async function gatewayLatency(seconds: number): Promise<number[]> {
  const node = await MediasoupNode.create(sfuConfig({ numWorkers: 1, rtcPort: 0 }));
  const gateway = new MediaGateway(node);
  const inbound: Burst[] = [];
  const relay = net.createServer();
  let encoder: { stop(): void } | undefined;
  try {
    const lectureId = randomUUID();
    await FakeClient.join(node, lectureId, 'lecturer');
    const { port, key } = await gateway.openRtmp(lectureId, 'room-latency');
    const ingest = gateway.ingest(lectureId, 'room-latency')!;
    const tap = await tapRtp(node, lectureId, ingest.video.producer.id);
    relay.on('connection', (encoderSide) => {
      const gatewaySide = net.connect(port, '127.0.0.1');
      encoderSide.setNoDelay(true);
      gatewaySide.setNoDelay(true);
      encoderSide.on('data', (chunk: Buffer) => {
        inbound.push({ at: process.hrtime.bigint(), bytes: chunk.length });
        gatewaySide.write(chunk);
      });
      gatewaySide.on('data', (chunk: Buffer) => encoderSide.write(chunk));
      for (const [a, b] of [[encoderSide, gatewaySide], [gatewaySide, encoderSide]] as const) {
        a.on('close', () => b.destroy());
        a.on('error', () => b.destroy());
      }
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const relayPort = (relay.address() as net.AddressInfo).port;
    await sleep(1000); // the gateway's RTMP listener comes up
    encoder = pushRtmp(await cutClip(), `rtmp://127.0.0.1:${relayPort}/live/${key}`);
    const startedAt = process.hrtime.bigint();
    await sleep(seconds * 1000);

    // Output frames: packets of one VP8 frame share an RTP timestamp; the first packet's arrival counts.
    const ssrc = tap.consumer.rtpParameters.encodings![0]!.ssrc;
    const frames = new Map<number, Burst>();
    for (const p of tap.packets) {
      if (p.ssrc !== ssrc) continue;
      const f = frames.get(p.timestamp);
      if (f) f.bytes += p.size;
      else frames.set(p.timestamp, { at: p.at, bytes: p.size });
    }
    const settled = (b: Burst) => b.at > startedAt + 3_000_000_000n; // past the start-up of the first ffmpeg
    const cutsIn = cuts(inbound, 3000, 1000, { count: 5, ms: 500 }).filter((at) => at > startedAt + 3_000_000_000n);
    const cutsOut = cuts([...frames.values()].filter(settled), 2500, 1000, { count: 10, ms: 0 });
    const latencies: number[] = [];
    for (const at of cutsIn) {
      const out = cutsOut.find((o) => o > at && o - at < 1_900_000_000n); // before the next cut
      if (out !== undefined) latencies.push(Number(out - at) / 1e6);
    }
    console.log(`  latency: cuts in ${cutsIn.length}, out ${cutsOut.length}, matched ${latencies.length}`);
    tap.close();
    return latencies;
  } finally {
    encoder?.stop();
    relay.close();
    gateway.closeAll();
    await node.close();
  }
}
