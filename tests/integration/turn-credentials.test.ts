/**
 * The project's coturn (scripts/turn.sh) against the credentials the signaling server hands
 * out: a fresh one allocates a relay, the same participant's credential past its expiry is
 * refused, and so is one signed with another secret; with TURN_PEER_IPS the relay serves only the
 * media servers. coturn runs on loopback on free ports.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoturn, type Coturn } from '../../signaling/src/turn/coturn.ts';
import { turnCredential } from '../../signaling/src/turn/credentials.ts';
import { tryAllocate } from '../helpers/turnClient.ts';

const secret = 'integration-turn-secret';
const MEDIA_SERVER = '10.99.0.1';
let coturn: Coturn;
let port: number;

/** A port free for both TCP and UDP on loopback right now. */
async function freePort(): Promise<number> {
  for (;;) {
    const tcp = net.createServer();
    const candidate = await new Promise<number>((resolve) => tcp.listen(0, '127.0.0.1', () => resolve((tcp.address() as net.AddressInfo).port)));
    const udp = dgram.createSocket('udp4');
    const udpFree = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(candidate, '127.0.0.1', () => resolve(true));
    });
    udp.close();
    await new Promise((r) => tcp.close(r));
    if (udpFree) return candidate;
  }
}

beforeAll(async () => {
  port = await freePort();
  const relayBase = 50_000 + Math.floor(Math.random() * 10_000);
  coturn = await startCoturn({
    TURN_SECRET: secret, TURN_LISTEN_IP: '127.0.0.1', TURN_PORT: String(port),
    TURN_MIN_PORT: String(relayBase), TURN_MAX_PORT: String(relayBase + 50), TLS_CERT: '', TLS_KEY: '',
    // The media servers' address (nothing is ever sent there: permissions only).
    TURN_PEER_IPS: MEDIA_SERVER,
  }, '127.0.0.1');
});
afterAll(async () => {
  await coturn?.stop();
});

describe('TURN REST API credentials against coturn', () => {
  it('accepts a fresh credential: a relay is allocated', async () => {
    const { username, credential } = turnCredential(secret, 'student-1', 600);
    const result = await tryAllocate('127.0.0.1', port, username, credential);
    expect(result, coturn.output()).toMatchObject({ ok: true });
    expect(result.ok && result.relayed).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('refuses the same participant\'s credential once it has expired', async () => {
    // Issued with a 60 s lifetime two minutes ago.
    const { username, credential } = turnCredential(secret, 'student-1', 60, Date.now() - 120_000);
    expect(await tryAllocate('127.0.0.1', port, username, credential)).toEqual({ ok: false, code: 401, reason: 'Unauthorized' });
  });

  it('refuses a credential signed with another secret, or a tampered username', async () => {
    const forged = turnCredential('guessed-secret', 'student-2', 600);
    expect(await tryAllocate('127.0.0.1', port, forged.username, forged.credential)).toMatchObject({ ok: false, code: 401 });
    // Pushing the expiry forward invalidates the HMAC.
    const real = turnCredential(secret, 'student-3', 60);
    const [expiry, who] = real.username.split(':');
    expect(await tryAllocate('127.0.0.1', port, `${Number(expiry) + 86_400}:${who}`, real.credential)).toMatchObject({ ok: false, code: 401 });
  });

  it('relays only to the media servers listed in TURN_PEER_IPS', async () => {
    const { username, credential } = turnCredential(secret, 'student-4', 600);
    const result = await tryAllocate('127.0.0.1', port, username, credential, [MEDIA_SERVER, '10.99.0.2', '192.168.1.1', '127.0.0.1']);
    expect(result.ok && result.permitted).toEqual({ [MEDIA_SERVER]: true, '10.99.0.2': 403, '192.168.1.1': 403, '127.0.0.1': 403 });
  });
});
