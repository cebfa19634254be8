/**
 * The local UDP ports an ingest's ffmpeg sends its RTP and RTCP from, kept for the ingest's life so
 * every restarted ffmpeg sends from the same ones. Why: a comedia PlainTransport locks onto the
 * address of the first RTP (and RTCP) packet it receives and silently drops packets from any other
 * address afterwards (mediasoup PlainTransport.cpp, "ignoring RTP packet from unknown IP:port"); an
 * ffmpeg restarted on an ephemeral port would feed the surviving producer nothing.
 */
import dgram from 'node:dgram';
import { LOOPBACK } from './plainProducer.ts';

/**
 * `count` distinct free UDP ports on loopback. They are free again once this returns (ffmpeg binds
 * them), so another process could in principle take one between two ffmpeg runs: the kernel picks
 * ephemeral ports at random, and ffmpeg would then fail with "Address already in use" (lastError).
 */
export async function reserveUdpPorts(count: number): Promise<number[]> {
  // All bound at once so the kernel hands out distinct ports.
  const sockets = await Promise.all(Array.from({ length: count }, async () => {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, LOOPBACK, resolve);
    });
    return socket;
  }));
  const ports = sockets.map((s) => s.address().port);
  await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}
