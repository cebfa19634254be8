/** Claims of a signed join token (JWT, HS256). Verified on the server only. */
import { z } from 'zod';
import { ROLES } from './roles.ts';

/**
 * Characters that draw nothing or reorder what follows: C0/C1 controls, soft hyphen, bidi marks,
 * embeddings, overrides and isolates, zero-width spaces and joiners, word joiner and invisible
 * operators, the byte-order mark, Hangul fillers. In a display name they only serve to pose as
 * someone else ("Prof. Wang" + U+202E...), or to look empty.
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufeff\uffa0]/g;

/** Normalises a display name (NFC, invisible characters removed, spaces collapsed); empty is refused. */
export function normaliseDisplayName(raw: string): string {
  return raw.normalize('NFC').replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim();
}

export const displayNameSchema = z.string().max(400).transform(normaliseDisplayName).pipe(z.string().min(1).max(80));

export const joinClaimsSchema = z.object({
  /** Stable identity of the participant; a second connection with it replaces the first. */
  sub: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/),
  lec: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/),
  role: z.enum(ROLES),
  name: displayNameSchema,
  /** Partner classroom id (classroom and assistant roles). */
  cls: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/).optional(),
  /** Partner classroom display name, for the wall. */
  clsName: displayNameSchema.optional(),
  exp: z.number().int(),
  iat: z.number().int().optional(),
});
export type JoinClaims = z.infer<typeof joinClaimsSchema>;

/**
 * Claims of a replay token: it lets its holder watch one recording of one lecture (its video,
 * chapters and event log) and nothing else — no join, no other recording. Minted for the
 * lecture's participants and for links the lecturer shares; a join token is never one.
 */
export const replayClaimsSchema = z.object({
  typ: z.literal('replay'),
  sub: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/),
  lec: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/),
  /** The recording's id (its start time as a folder name). */
  rec: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/),
  exp: z.number().int(),
  iat: z.number().int().optional(),
});
export type ReplayClaims = z.infer<typeof replayClaimsSchema>;
