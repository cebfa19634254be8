import dgram from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import { relayCandidates } from './candidates.ts';
import { PROFILES } from './profiles.ts';
import type { UdpRelay } from './relay.ts';

const relays: UdpRelay[] = [];
const sockets: dgram.Socket[] = [];
afterAll(async () => {
  for (const r of relays) await r.close();
  for (const s of sockets) s.close();
});

describe('relayCandidates', () => {
  it('replaces the server\'s candidates by one UDP candidate at a relay that forwards to the server\'s UDP port', async () => {
    const server = dgram.createSocket('udp4');
    sockets.push(server);
    await new Promise<void>((r) => server.bind(0, '127.0.0.1', () => r()));
    const port = server.address().port;
    const offered = [
      { foundation: 'udpcandidate', priority: 2, ip: '127.0.0.1', protocol: 'udp', port, type: 'host' },
      { foundation: 'tcpcandidate', priority: 1, ip: '127.0.0.1', protocol: 'tcp', port: 1, type: 'host', tcpType: 'passive' },
    ];
    const { candidates, relay } = await relayCandidates(offered, PROFILES.campus);
    relays.push(relay);
    expect(candidates).toEqual([{ ...offered[0], port: relay.address.port }]);
    expect(relay.address.port).not.toBe(port);

    const arrived = new Promise<string>((r) => server.once('message', (m) => r(m.toString())));
    const client = dgram.createSocket('udp4');
    sockets.push(client);
    client.send('stun-ish', relay.address.port, '127.0.0.1');
    expect(await arrived).toBe('stun-ish');
  });

  it('refuses when the server offers no UDP candidate', async () => {
    await expect(relayCandidates([{ protocol: 'tcp', port: 1, ip: '127.0.0.1' }], PROFILES.kashgar)).rejects.toThrow(/no UDP candidate/);
  });
});
