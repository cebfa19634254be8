/** Join tokens: HS256 JWTs whose claims say who may join which lecture as what. */
import jwt from 'jsonwebtoken';
import { AppError, joinClaimsSchema, needsClassroom, type JoinClaims, type Role } from '@tongtang/shared';
import { verifyJwt } from './jwt.ts';

export interface MintOptions {
  lectureId: string;
  role: Role;
  name: string;
  subject?: string;
  classroomId?: string;
  classroomName?: string;
  /** Lifetime in seconds. */
  ttlSeconds?: number;
}

export function mintToken(secret: string, opts: MintOptions): string {
  if (needsClassroom(opts.role) && !opts.classroomId) {
    throw new AppError('BAD_REQUEST', `role ${opts.role} needs a classroom id`);
  }
  const claims: Omit<JoinClaims, 'exp' | 'iat'> = {
    sub: opts.subject ?? `${opts.role}-${randomSuffix()}`,
    lec: opts.lectureId,
    role: opts.role,
    name: opts.name,
    ...(opts.classroomId ? { cls: opts.classroomId } : {}),
    ...(opts.classroomName ? { clsName: opts.classroomName } : {}),
  };
  return jwt.sign(claims, secret, { algorithm: 'HS256', expiresIn: opts.ttlSeconds ?? 6 * 3600 });
}

/** Verifies signature, expiry and claim shape; throws AppError TOKEN_EXPIRED or TOKEN_INVALID. */
export function verifyToken(secret: string, token: unknown): JoinClaims {
  const claims = verifyJwt(secret, token, joinClaimsSchema, {
    missing: 'a join token is required',
    expired: 'the join token has expired',
    invalid: 'the join token is not valid',
    malformed: 'the join token has malformed claims',
  });
  if (needsClassroom(claims.role) && !claims.cls) {
    throw new AppError('TOKEN_INVALID', `a ${claims.role} token must name its classroom`);
  }
  return claims;
}

function randomSuffix(): string {
  return Math.random().toString(36).slice(2, 10);
}
