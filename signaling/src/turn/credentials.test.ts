import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { iceServersFor, turnCredential, turnFromEnv } from './credentials.ts';

describe('TURN REST API credentials', () => {
  it('username is <expiry>:<participant>, password base64(HMAC-SHA1(secret, username)) as openssl computes it', () => {
    const now = Date.UTC(2026, 10, 26, 12, 0, 0);
    const { username, credential } = turnCredential('campus-secret', 'student-7', 3600, now);
    expect(username).toBe(`${now / 1000 + 3600}:student-7`);
    // An independent implementation of the same scheme: what coturn checks.
    const expected = execFileSync('openssl', ['dgst', '-sha1', '-hmac', 'campus-secret', '-binary'], { input: username });
    expect(credential).toBe(expected.toString('base64'));
  });

  it('differs per participant and per expiry, and never contains the secret', () => {
    const a = turnCredential('s', 'p1', 60, 0);
    const b = turnCredential('s', 'p2', 60, 0);
    const c = turnCredential('s', 'p1', 120, 0);
    expect(new Set([a.credential, b.credential, c.credential]).size).toBe(3);
    expect(JSON.stringify(iceServersFor({ secret: 'very-secret-value', urls: ['turn:h:3478'], ttlSeconds: 60 }, 'p1'))).not.toContain('very-secret-value');
  });

  it('is off without TURN_SECRET and derives UDP, TCP and (with a certificate) TLS-on-443 URLs', () => {
    expect(turnFromEnv({})).toBeUndefined();
    expect(iceServersFor(undefined, 'p')).toBeUndefined();
    expect(turnFromEnv({ TURN_SECRET: 's', TURN_HOST: 'turn.example.edu' })?.urls).toEqual([
      'turn:turn.example.edu:3478?transport=udp', 'turn:turn.example.edu:3478?transport=tcp',
    ]);
    expect(turnFromEnv({ TURN_SECRET: 's', SFU_ANNOUNCED_IP: '10.1.2.3', TLS_CERT: '/c.pem', TURN_TTL: '600' })).toEqual({
      secret: 's', ttlSeconds: 600,
      urls: ['turn:10.1.2.3:3478?transport=udp', 'turn:10.1.2.3:3478?transport=tcp', 'turns:10.1.2.3:443?transport=tcp'],
    });
    expect(turnFromEnv({ TURN_SECRET: 's', TURN_URLS: 'turns:a:443?transport=tcp, turn:a:3478' })?.urls).toEqual(['turns:a:443?transport=tcp', 'turn:a:3478']);
  });

  it('refuses a configuration that cannot work, with a clear message', () => {
    expect(() => turnFromEnv({ TURN_SECRET: 's' })).toThrow(/TURN_URLS or TURN_HOST/);
    expect(() => turnFromEnv({ TURN_SECRET: 's', TURN_URLS: 'http://x' })).toThrow(/not a turn: or turns: URL/);
    expect(() => turnFromEnv({ TURN_SECRET: 's', TURN_HOST: 'h', TURN_TTL: '1h' })).toThrow(/TURN_TTL/);
  });
});
