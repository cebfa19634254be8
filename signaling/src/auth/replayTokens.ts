/** Replay tokens: HS256 JWTs that open one recording's replay (see replayClaimsSchema). */
import jwt from 'jsonwebtoken';
import { replayClaimsSchema, type ReplayClaims } from '@tongtang/shared';
import { verifyJwt } from './jwt.ts';

export function mintReplayToken(secret: string, claims: Omit<ReplayClaims, 'typ' | 'exp' | 'iat'>, ttlSeconds: number): string {
  return jwt.sign({ typ: 'replay', ...claims }, secret, { algorithm: 'HS256', expiresIn: ttlSeconds });
}

/** Verifies signature, expiry and shape; throws AppError TOKEN_EXPIRED or TOKEN_INVALID. */
export function verifyReplayToken(secret: string, token: unknown): ReplayClaims {
  return verifyJwt(secret, token, replayClaimsSchema, {
    missing: 'a replay token is required',
    expired: 'the replay link has expired',
    invalid: 'the replay token is not valid',
    malformed: 'the token is not a replay token',
  });
}
