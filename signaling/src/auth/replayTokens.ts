/** Replay tokens: HS256 JWTs that open one recording's replay (see replayClaimsSchema). */
import jwt from 'jsonwebtoken';
import { AppError, replayClaimsSchema, type ReplayClaims } from '../../../shared/src/index.ts';

export function mintReplayToken(secret: string, claims: Omit<ReplayClaims, 'typ' | 'exp' | 'iat'>, ttlSeconds: number): string {
  return jwt.sign({ typ: 'replay', ...claims }, secret, { algorithm: 'HS256', expiresIn: ttlSeconds });
}

/** Verifies signature, expiry and shape; throws AppError TOKEN_EXPIRED or TOKEN_INVALID. */
export function verifyReplayToken(secret: string, token: unknown): ReplayClaims {
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096) throw new AppError('TOKEN_INVALID', 'a replay token is required');
  let decoded: unknown;
  try {
    decoded = jwt.verify(token, secret, { algorithms: ['HS256'] });
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) throw new AppError('TOKEN_EXPIRED', 'the replay link has expired', { cause: err });
    throw new AppError('TOKEN_INVALID', 'the replay token is not valid', { cause: err });
  }
  const parsed = replayClaimsSchema.safeParse(decoded);
  if (!parsed.success) throw new AppError('TOKEN_INVALID', 'the token is not a replay token');
  return parsed.data;
}
