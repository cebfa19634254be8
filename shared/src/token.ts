/** Claims of a signed join token (JWT, HS256). Verified on the server only. */
import { z } from 'zod';
import { ROLES } from './roles.ts';

export const joinClaimsSchema = z.object({
  /** Stable identity of the participant; a second connection with it replaces the first. */
  sub: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/),
  lec: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/),
  role: z.enum(ROLES),
  name: z.string().trim().min(1).max(80),
  /** Partner classroom id (classroom and assistant roles). */
  cls: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/).optional(),
  /** Partner classroom display name, for the wall. */
  clsName: z.string().trim().min(1).max(80).optional(),
  exp: z.number().int(),
  iat: z.number().int().optional(),
});
export type JoinClaims = z.infer<typeof joinClaimsSchema>;
