/** The checks every token Tongtang signs goes through: size, HS256 signature, expiry, claim shape. */
import jwt from 'jsonwebtoken';
import type { z } from 'zod';
import { AppError } from '@tongtang/shared';

/** How the refusals read for one kind of token ("join token", "replay link"...). */
export interface TokenWords {
  missing: string;
  expired: string;
  invalid: string;
  malformed: string;
}

/** Verifies the token and parses its claims with `schema`; throws AppError TOKEN_EXPIRED or TOKEN_INVALID. */
export function verifyJwt<S extends z.ZodType>(secret: string, token: unknown, schema: S, words: TokenWords): z.infer<S> {
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096) throw new AppError('TOKEN_INVALID', words.missing);
  let decoded: unknown;
  try {
    decoded = jwt.verify(token, secret, { algorithms: ['HS256'] });
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) throw new AppError('TOKEN_EXPIRED', words.expired, { cause: err });
    throw new AppError('TOKEN_INVALID', words.invalid, { cause: err });
  }
  const parsed = schema.safeParse(decoded);
  if (!parsed.success) throw new AppError('TOKEN_INVALID', words.malformed);
  return parsed.data as z.infer<S>;
}
