import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../config.ts';
import { lanTrialDefaults, makeSelfSigned, startupAdvice, turnDefaults } from '../startup.ts';
import { tlsFromEnv, trustProxyFromEnv } from './web.ts';

describe('secure-page settings', () => {
  it('reads TLS_CERT, TLS_KEY and HTTPS_PORT, and refuses half a TLS setup', () => {
    expect(tlsFromEnv({})).toBeUndefined();
    expect(tlsFromEnv({ TLS_CERT: '/c', TLS_KEY: '/k' })).toEqual({ certFile: '/c', keyFile: '/k', httpsPort: undefined });
    expect(tlsFromEnv({ TLS_CERT: '/c', TLS_KEY: '/k', HTTPS_PORT: '443' })?.httpsPort).toBe(443);
    expect(() => tlsFromEnv({ TLS_CERT: '/c' })).toThrow(/go together/);
    expect(() => tlsFromEnv({ TLS_CERT: '/c', TLS_KEY: '/k', HTTPS_PORT: 'https' })).toThrow(/HTTPS_PORT/);
  });

  it('maps TRUST_PROXY to express trust proxy values', () => {
    expect(trustProxyFromEnv({})).toBe(false);
    expect(trustProxyFromEnv({ TRUST_PROXY: 'true' })).toBe(true);
    expect(trustProxyFromEnv({ TRUST_PROXY: '1' })).toBe(1);
    expect(trustProxyFromEnv({ TRUST_PROXY: 'loopback, 10.0.0.0/8' })).toBe('loopback, 10.0.0.0/8');
  });

  it('tells whoever starts a plain-HTTP server reachable from other machines what the camera needs', () => {
    const plain = configFromEnv({ JWT_SECRET: 'x' }, []);
    const advice = startupAdvice(plain, {}, false)!;
    expect(advice).toMatch(/camera and microphone only to secure pages/);
    expect(advice).toMatch(/TLS_CERT=.*TLS_KEY=/);
    expect(advice).toMatch(/--self-signed/);
    expect(advice).toMatch(/SFU_LISTEN_IP=0\.0\.0\.0 SFU_ANNOUNCED_IP=/);
    expect(startupAdvice({ ...plain, host: '127.0.0.1' }, {}, false)).toBeNull();
    const secure = { ...plain, tls: { certFile: '/c', keyFile: '/k' } };
    expect(startupAdvice(secure, { SFU_LISTEN_IP: '0.0.0.0', SFU_ANNOUNCED_IP: '10.0.0.2' }, false)).toBeNull();
    expect(startupAdvice(secure, { SFU_LISTEN_IP: '0.0.0.0' }, true)).toMatch(/THROWAWAY SELF-SIGNED/);
  });

  it('makes a self-signed certificate naming the given addresses', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongtang-cert-'));
    try {
      const { certFile, keyFile } = makeSelfSigned(dir, ['192.168.1.20']);
      const text = execFileSync('openssl', ['x509', '-in', certFile, '-noout', '-ext', 'subjectAltName']).toString();
      expect(text).toMatch(/IP Address:192\.168\.1\.20/);
      expect(text).toMatch(/DNS:localhost/);
      expect(fs.statSync(keyFile).mode & 0o077).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a LAN trial serves media on the LAN address unless told otherwise; --turn gets a secret and a host', () => {
    const env: NodeJS.ProcessEnv = {};
    lanTrialDefaults(env, ['192.168.1.20']);
    expect(env).toEqual({ SFU_LISTEN_IP: '0.0.0.0', SFU_ANNOUNCED_IP: '192.168.1.20' });
    const chosen: NodeJS.ProcessEnv = { SFU_LISTEN_IP: '10.0.0.2' };
    lanTrialDefaults(chosen, ['192.168.1.20']);
    expect(chosen).toEqual({ SFU_LISTEN_IP: '10.0.0.2' });
    turnDefaults(env);
    expect(env.TURN_HOST).toBe('192.168.1.20');
    expect(env.TURN_SECRET!.length).toBeGreaterThanOrEqual(32);
  });
});
