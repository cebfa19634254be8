/**
 * Child process: the receivers' end of every consumer's PlainTransport. A few UDP sockets with
 * large receive buffers; each datagram's RTP header is tallied (see tally.ts) and the packet
 * dropped. Its own process, so the bench can tell its CPU from the worker's, and so a slow
 * receiver shows up as kernel receive-buffer drops rather than as SFU loss.
 */
import dgram from 'node:dgram';
import { epochNow } from '../rtp/streamSender.ts';
import { serveParent } from './child.ts';
import type { ReceiverReady, ReceiverSetup, ReceiverSnapshot } from './protocol.ts';
import { Tally } from './tally.ts';

const setup = JSON.parse(process.argv[2]!) as ReceiverSetup;
const tally = new Tally();
const sockets = await Promise.all(
  Array.from({ length: setup.sockets }, () => new Promise<dgram.Socket>((resolve) => {
    const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: setup.bufferBytes });
    socket.on('message', (msg) => tally.push(msg));
    socket.bind(0, '127.0.0.1', () => resolve(socket));
  })),
);

serveParent<ReceiverReady, ReceiverSnapshot>(
  { ports: sockets.map((s) => s.address().port), bufferBytes: sockets.map((s) => s.getRecvBufferSize()) },
  () => ({ ...tally.snapshot(), atMs: epochNow() }),
);
