/**
 * What `npm start` does beyond running the node: `--self-signed` makes a throwaway certificate
 * for a LAN trial, `--turn` starts the project's coturn, and the start-up notice tells whoever
 * runs it what a lecturer on another machine needs (a secure page, a reachable media address).
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SignalingConfig } from './config.ts';

const LOOPBACK = /^(127\.|::1$|localhost$)/;

/** This machine's non-loopback IPv4 addresses: what a LAN trial certificate must name. */
export function lanAddresses(): string[] {
  return Object.values(os.networkInterfaces()).flat()
    .filter((a): a is os.NetworkInterfaceInfo => Boolean(a) && a!.family === 'IPv4' && !a!.internal)
    .map((a) => a.address);
}

/**
 * A self-signed certificate for `hosts` (IP addresses or names) made with openssl, valid 30 days.
 * Browsers will warn about it: it is for trying Tongtang on a LAN, never for a real lecture.
 */
export function makeSelfSigned(dir: string, hosts: string[]): { certFile: string; keyFile: string } {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  const names = [...new Set(['localhost', '127.0.0.1', ...hosts])];
  const san = names.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '30',
    '-subj', '/CN=Tongtang LAN trial (self-signed)', '-addext', `subjectAltName=${san}`,
    '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'pipe' });
  fs.chmodSync(keyFile, 0o600);
  return { certFile, keyFile };
}

/**
 * `--self-signed` is a LAN trial: unless the operator chose a media address, serve media on all
 * interfaces and announce the first LAN address, so another machine's browser reaches it.
 */
export function lanTrialDefaults(env: NodeJS.ProcessEnv, lan: string[] = lanAddresses()): void {
  if (env.SFU_LISTEN_IP || !lan[0]) return;
  env.SFU_LISTEN_IP = '0.0.0.0';
  env.SFU_ANNOUNCED_IP ||= lan[0];
}

/** Fills in what `--turn` needs when the operator gave nothing: a random secret, where clients reach it. */
export function turnDefaults(env: NodeJS.ProcessEnv): void {
  env.TURN_SECRET ||= crypto.randomBytes(24).toString('base64url');
  const listen = env.SFU_LISTEN_IP && !['0.0.0.0', '::'].includes(env.SFU_LISTEN_IP) ? env.SFU_LISTEN_IP : undefined;
  env.TURN_HOST ||= env.SFU_ANNOUNCED_IP || listen || '127.0.0.1';
}

/** The start-up notice for people on other machines, or null when there is nothing to say. */
export function startupAdvice(config: SignalingConfig, env: NodeJS.ProcessEnv, selfSigned: boolean): string | null {
  const beyondLocalhost = !LOOPBACK.test(config.host);
  if (!beyondLocalhost) return null;
  const lines: string[] = [];
  if (!config.tls) {
    lines.push(
      'Browsers give the camera and microphone only to secure pages: this plain-HTTP server works for a',
      'lecturer on THIS machine (http://localhost), but on another machine the lecturer cannot go live.',
      'For other machines, either:',
      '  - give this server a certificate: TLS_CERT=/path/fullchain.pem TLS_KEY=/path/key.pem (HTTPS_PORT=443 PORT=80 to redirect), or',
      '  - put a reverse proxy with TLS in front (nginx or Caddy) and set TRUST_PROXY=loopback (README, "Deployment"), or',
      '  - for a LAN trial only: npm start -- --self-signed (a throwaway certificate; browsers will warn).',
    );
  } else if (selfSigned) {
    lines.push(
      'Serving HTTPS with a THROWAWAY SELF-SIGNED certificate for a LAN trial: each browser shows a',
      'warning to click through once. Use a real certificate (TLS_CERT, TLS_KEY) for real lectures.',
    );
  }
  const sfuListen = env.SFU_LISTEN_IP ?? '127.0.0.1';
  if (LOOPBACK.test(sfuListen)) {
    const ip = lanAddresses()[0] ?? '<this machine\'s address>';
    lines.push(`Media listens on ${sfuListen} only; for other machines also set SFU_LISTEN_IP=0.0.0.0 SFU_ANNOUNCED_IP=${ip}.`);
  }
  return lines.length ? lines.join('\n') : null;
}
