/**
 * Test and bench only: real RTP into and out of a lecture without WebRTC. A PlainTransport
 * producer is fed synthetic Opus packets from a UDP socket, and a PlainTransport consumer sends
 * what it receives to another UDP socket, so tests can prove media crosses a node or a pipe.
 * Every packet's payload starts with its index, so the receiver can match it to its send time.
 */
import dgram from 'node:dgram';
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';
import { lectureMediaOf, type MediasoupNode } from '../src/MediasoupNode.ts';
import { addPlainProducer, randomSsrc } from '../src/gateway/plainProducer.ts';

const LOOPBACK = '127.0.0.1';
/** Any dynamic payload type works on the way in: the router maps it to its own. */
const SEND_PAYLOAD_TYPE = 111;

export interface RtpFeed {
  readonly producer: ms.Producer;
  readonly ssrc: number;
  /** Sends packet number `index` (its payload starts with the index) and returns the send time. */
  send(index: number): bigint;
  close(): void;
}

export interface RtpPacketIn {
  index: number;
  seq: number;
  ssrc: number;
  payloadType: number;
  /** RTP timestamp: packets of one video frame share it, so distinct values count frames. */
  timestamp: number;
  /** Bytes of the whole datagram (header included). */
  size: number;
  /** process.hrtime.bigint() when the socket handed it to us. */
  at: bigint;
}

export interface RtpTap {
  readonly consumer: ms.Consumer;
  readonly packets: RtpPacketIn[];
  /** Resolves once `count` packets arrived in all; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): void;
}

/**
 * The router each live producer of this process is on (a tap consumes it there), from mediasoup's
 * own observer rather than the node's private state. Hooked when this module loads, which a
 * static import does before the test or bench creates its node.
 */
const routerOfProducer = new Map<string, ms.Router>();
mediasoup.observer.on('newworker', (worker) => {
  worker.observer.on('newrouter', (router) => {
    router.observer.on('newtransport', (transport) => {
      transport.observer.on('newproducer', (producer) => {
        routerOfProducer.set(producer.id, router);
        producer.observer.once('close', () => routerOfProducer.delete(producer.id));
      });
    });
  });
});

/**
 * A microphone producer of `peerId` fed over UDP, registered like one the peer produced.
 * rtcpMux off and comedia on: see /work/shared/docs/test-clients.md (with rtcpMux the transport
 * locked onto ffmpeg's RTCP port and dropped the RTP).
 */
export async function feedRtp(node: MediasoupNode, lectureId: string, peerId: string, payloadBytes = 160): Promise<RtpFeed> {
  const ssrc = randomSsrc(0x1000_0000);
  const { producer, transport, rtpPort: port } = await addPlainProducer(node, lectureId, {
    peerId, source: 'microphone', ssrcs: [ssrc],
    codec: { mimeType: 'audio/opus', payloadType: SEND_PAYLOAD_TYPE, clockRate: 48000, channels: 2 },
  });
  const socket = dgram.createSocket('udp4');
  const payload = Buffer.alloc(Math.max(8, payloadBytes));
  return {
    producer,
    ssrc,
    send(index) {
      // 20 ms of 48 kHz audio per packet, as Opus would advance the timestamp.
      const packet = Buffer.concat([rtpHeader(index & 0xffff, (index * 960) >>> 0, ssrc), payload]);
      packet.writeUInt32BE(index >>> 0, 12);
      const at = process.hrtime.bigint();
      socket.send(packet, port, LOOPBACK);
      return at;
    },
    close() {
      socket.close();
      transport.close();
    },
  };
}

/** Consumes `producerId` (local or imported) with a PlainTransport that sends to a UDP socket of ours. */
export async function tapRtp(node: MediasoupNode, lectureId: string, producerId: string): Promise<RtpTap> {
  if (!node.hasProducer(lectureId, producerId)) throw new Error(`lecture ${lectureId} has no live producer ${producerId} on this node`);
  const router = routerOfProducer.get(producerId);
  if (!router) throw new Error(`producer ${producerId} was made before plainRtp.ts was loaded: import it before creating the node`);
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, LOOPBACK, resolve));
  const transport = await router.createPlainTransport({ listenIp: LOOPBACK, rtcpMux: true, comedia: false });
  await transport.connect({ ip: LOOPBACK, port: socket.address().port });
  const consumer = await transport.consume({ producerId, rtpCapabilities: router.rtpCapabilities, paused: false });
  const packets: RtpPacketIn[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (msg) => {
    const at = process.hrtime.bigint();
    // The same socket gets the transport's RTCP (rtcpMux): payload types 200-206 are RTCP.
    if (msg.length < 16 || (msg[0]! & 0xc0) !== 0x80 || (msg[1]! >= 200 && msg[1]! <= 206)) return;
    const offset = payloadOffset(msg);
    if (offset + 4 > msg.length) return;
    packets.push({ index: msg.readUInt32BE(offset), seq: msg.readUInt16BE(2), ssrc: msg.readUInt32BE(8), payloadType: msg[1]! & 0x7f, timestamp: msg.readUInt32BE(4), size: msg.length, at });
    for (const wake of waiters) wake();
  });
  return {
    consumer,
    packets,
    waitFor(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (packets.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${packets.length} of ${count} RTP packets within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close() {
      transport.close();
      socket.close();
    },
  };
}

/** Where the payload starts: mediasoup adds header extensions (mid, abs-send-time...) on the way out. */
function payloadOffset(packet: Buffer): number {
  let offset = 12 + 4 * (packet[0]! & 0x0f);
  if (packet[0]! & 0x10) offset += 4 + 4 * packet.readUInt16BE(offset + 2);
  return offset;
}

/** A 12-byte RTP header: version 2, no padding, extension, CSRCs or marker. */
function rtpHeader(seq: number, timestamp: number, ssrc: number): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80;
  header[1] = SEND_PAYLOAD_TYPE;
  header.writeUInt16BE(seq, 2);
  header.writeUInt32BE(timestamp, 4);
  header.writeUInt32BE(ssrc, 8);
  return header;
}

/** The worker behind a lecture's origin router, for CPU readings. */
export async function originWorker(node: MediasoupNode, lectureId: string): Promise<ms.Worker> {
  const media = lectureMediaOf(node, lectureId);
  if (!media) throw new Error(`lecture ${lectureId} has not started on this node`);
  return (await media.origin()).pooled.worker;
}
