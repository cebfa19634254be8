/**
 * Test only: a WHIP client without a browser. A werift RTCPeerConnection offers sendonly video
 * (VP8, or H.264 constrained baseline as OBS sends) and Opus, gathering its candidates before
 * the offer is taken (no trickle), and sends real encoded media: ffmpeg loops a pre-encoded clip
 * as RTP to local UDP sockets, and every packet is written into werift's tracks, which rewrite
 * SSRC, payload type and sequence numbers to what was negotiated and encrypt them (SRTP).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as werift from 'werift';
import { testClip } from './ffmpegSource.ts';

const run = promisify(execFile);
const LOOPBACK = '127.0.0.1';

export type WhipVideoCodec = 'vp8' | 'h264';

export interface WhipTestClient {
  readonly pc: werift.RTCPeerConnection;
  /** The offer with every local candidate gathered. */
  readonly offerSdp: string;
  /** Applies the server's answer; ICE and DTLS start. */
  accept(answerSdp: string): Promise<void>;
  /** Starts ffmpeg feeding the tracks. */
  startMedia(): Promise<void>;
  close(): Promise<void>;
}

/** 4 s of H.264 constrained baseline (x264's baseline profile, no B-frames, a key frame every 0.5 s) and Opus. */
async function h264Clip(): Promise<string> {
  const clip = path.join(os.tmpdir(), 'tongtang-whip-h264-cb.mkv');
  if (fs.existsSync(clip)) return clip;
  const partial = `${clip}.${process.pid}.mkv`;
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=20', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', '4', '-c:v', 'libx264', '-profile:v', 'baseline', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '10', '-bf', '0', '-pix_fmt', 'yuv420p',
    '-c:a', 'libopus', '-ac', '2', '-b:a', '32k', '-y', partial,
  ]);
  fs.renameSync(partial, clip); // atomic: test files running side by side never read half a clip
  return clip;
}

export async function whipTestClient(opts: { video: WhipVideoCodec; audio?: boolean; extensions?: boolean }): Promise<WhipTestClient> {
  const withAudio = opts.audio ?? true;
  const pc = new werift.RTCPeerConnection({
    iceServers: [], // werift's default STUN server is on the internet
    iceUseIpv6: false,
    codecs: {
      audio: [werift.useOPUS()],
      video: [opts.video === 'vp8'
        ? werift.useVP8({ rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }] })
        : werift.useH264({ rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }] })],
    },
    // With extensions mediasoup routes by MID and sends feedback on abs-send-time; without, by SSRC alone.
    headerExtensions: opts.extensions
      ? { audio: [werift.useSdesMid()], video: [werift.useSdesMid(), werift.useAbsSendTime()] }
      : { audio: [], video: [] },
  });
  const video = new werift.MediaStreamTrack({ kind: 'video' });
  const audio = new werift.MediaStreamTrack({ kind: 'audio' });
  pc.addTransceiver(video, { direction: 'sendonly' });
  if (withAudio) pc.addTransceiver(audio, { direction: 'sendonly' });
  await pc.setLocalDescription(await pc.createOffer()); // werift gathers its candidates here
  const offerSdp = pc.localDescription!.sdp;

  const sockets: dgram.Socket[] = [];
  let ffmpeg: ChildProcess | undefined;
  async function listen(track: werift.MediaStreamTrack): Promise<number> {
    const socket = dgram.createSocket('udp4');
    sockets.push(socket);
    // RTCP goes to port + 1, where nobody listens: werift makes its own sender reports.
    socket.on('message', (packet) => {
      if (packet.length >= 12 && !(packet[1]! >= 200 && packet[1]! <= 206)) track.writeRtp(packet);
    });
    await new Promise<void>((resolve) => socket.bind(0, LOOPBACK, resolve));
    return socket.address().port;
  }

  return {
    pc,
    offerSdp,
    async accept(answerSdp) {
      await pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
    },
    async startMedia() {
      const clip = opts.video === 'vp8' ? await testClip() : await h264Clip();
      // mediasoup 3.12 knows an H.264 key frame only by the SPS in front of it (as WebRTC senders
      // and OBS send it); from Matroska the SPS/PPS sit in the header, so put them back in-band.
      const inBand = opts.video === 'h264' ? ['-bsf:v', 'h264_mp4toannexb'] : [];
      const args = ['-hide_banner', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', clip,
        '-map', '0:v', '-c', 'copy', ...inBand, '-f', 'rtp', `rtp://${LOOPBACK}:${await listen(video)}?pkt_size=1100`];
      if (withAudio) args.push('-map', '0:a', '-c', 'copy', '-f', 'rtp', `rtp://${LOOPBACK}:${await listen(audio)}?pkt_size=1100`);
      ffmpeg = spawn('ffmpeg', args, { stdio: 'ignore' });
    },
    async close() {
      ffmpeg?.kill('SIGKILL');
      for (const s of sockets.splice(0)) s.close();
      await pc.close(); // werift 0.24 sends no DTLS close_notify: to the server the client just goes silent
    },
  };
}
