/**
 * The load test's way onto an emulated link: a receiver's transport is handed the address of a
 * UdpRelay instead of the media server's own ICE candidates, so all its media (and ICE checks)
 * cross the relay, which plays the profile's delay, jitter, loss and bandwidth cap. The server
 * sees the relay's per-client socket as the receiver's address (peer-reflexive, as behind NAT).
 */
import type { NetworkProfile } from './profiles.ts';
import { UdpRelay } from './relay.ts';

/** The parts of a mediasoup ICE candidate the relay needs (3.12 names the address `ip`, later `address`). */
export interface IceCandidateLike {
  protocol: string;
  port: number;
  ip?: string;
  address?: string;
  [key: string]: unknown;
}

const LOOPBACK = /^(127\.|::1$|localhost$)/;

/**
 * Starts a relay in front of the server's UDP candidate and returns the candidates to give the
 * client (just the relay's) with the relay. TCP candidates are dropped so ICE cannot go around it.
 */
export async function relayCandidates<C extends IceCandidateLike>(candidates: C[], profile: NetworkProfile): Promise<{ candidates: C[]; relay: UdpRelay }> {
  const udp = candidates.find((c) => c.protocol.toLowerCase() === 'udp');
  const host = udp?.ip ?? udp?.address;
  if (!udp || !host) throw new Error(`network profile ${profile.name}: the server offered no UDP candidate to relay`);
  const relay = await UdpRelay.start({
    listen: { host: '127.0.0.1' },
    // A remote server (--allow-remote) is reached from any local address, a loopback one from loopback.
    upstreamHost: LOOPBACK.test(host) ? '127.0.0.1' : '0.0.0.0',
    target: { host, port: udp.port },
    up: profile.up,
    down: profile.down,
    lossOnMediaOnly: true,
  });
  const { host: ip, port } = relay.address;
  const rewritten = { ...udp, port, ...(udp.ip !== undefined ? { ip } : {}), ...(udp.address !== undefined ? { address: ip } : {}) };
  return { candidates: [rewritten], relay };
}
