/**
 * TURN credentials by the TURN REST API scheme (draft-uberti-behave-turn-rest, what coturn's
 * `use-auth-secret` checks): username `<unix expiry>:<participant>`, password
 * base64(HMAC-SHA1(shared secret, username)). The server and coturn share only the secret;
 * each participant gets its own credential that stops working at the expiry, so a leaked one
 * is worth little and there is no static TURN password anywhere.
 */
import crypto from 'node:crypto';
import type { IceServer } from '@tongtang/shared';

export interface TurnConfig {
  /** TURN_SECRET: shared with coturn's `static-auth-secret`. */
  secret: string;
  /** turn:/turns: URLs handed to clients. */
  urls: string[];
  /** How long a credential lives. Longer than a lecture: a TURN refresh after expiry is refused. */
  ttlSeconds: number;
}

export const DEFAULT_TURN_TTL_SECONDS = 6 * 3600;

export function turnCredential(secret: string, participantId: string, ttlSeconds: number, nowMs = Date.now()): { username: string; credential: string } {
  const expiry = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiry}:${participantId}`;
  const credential = crypto.createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}

export function iceServersFor(turn: TurnConfig | undefined, participantId: string, nowMs = Date.now()): IceServer[] | undefined {
  if (!turn) return undefined;
  return [{ urls: turn.urls, ...turnCredential(turn.secret, participantId, turn.ttlSeconds, nowMs) }];
}

/**
 * TURN_SECRET turns TURN on. TURN_URLS (comma-separated) says where clients reach it; otherwise
 * they are derived from TURN_HOST (or SFU_ANNOUNCED_IP): UDP and TCP on TURN_PORT (3478), and
 * TLS on TURN_TLS_PORT (443) when coturn has a certificate (TURN_TLS_CERT or TLS_CERT).
 */
export function turnFromEnv(env: NodeJS.ProcessEnv): TurnConfig | undefined {
  const secret = env.TURN_SECRET?.trim();
  if (!secret) return undefined;
  const ttl = env.TURN_TTL?.trim();
  if (ttl && !/^\d+$/.test(ttl)) throw new Error(`TURN_TTL must be seconds (got "${ttl}")`);
  const ttlSeconds = ttl ? Number(ttl) : DEFAULT_TURN_TTL_SECONDS;
  const listed = (env.TURN_URLS ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  for (const url of listed) {
    if (!/^turns?:[^\s]+$/.test(url)) throw new Error(`TURN_URLS: "${url}" is not a turn: or turns: URL`);
  }
  if (listed.length) return { secret, urls: listed, ttlSeconds };
  const host = env.TURN_HOST?.trim() || env.SFU_ANNOUNCED_IP?.trim();
  if (!host) throw new Error('TURN_SECRET is set but not where clients reach TURN: set TURN_URLS or TURN_HOST');
  const port = env.TURN_PORT?.trim() || '3478';
  const urls = [`turn:${host}:${port}?transport=udp`, `turn:${host}:${port}?transport=tcp`];
  if (env.TURN_TLS_CERT?.trim() || env.TLS_CERT?.trim()) urls.push(`turns:${host}:${env.TURN_TLS_PORT?.trim() || '443'}?transport=tcp`);
  return { secret, urls, ttlSeconds };
}
