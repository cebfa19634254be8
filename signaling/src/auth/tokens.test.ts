import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { AppError } from '@tongtang/shared';
import { parseTtl } from '../cli/token.ts';
import { mintToken, verifyToken } from './tokens.ts';

const secret = 'unit-secret';
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? err.code : 'not-an-AppError';
  }
  return undefined;
};

describe('join tokens', () => {
  it('round-trips the claims of a minted token', () => {
    const token = mintToken(secret, { lectureId: 'chem', role: 'assistant', name: 'Aygul', classroomId: 'kashgar', classroomName: 'Kashgar 101', subject: 'a1' });
    expect(verifyToken(secret, token)).toMatchObject({ sub: 'a1', lec: 'chem', role: 'assistant', name: 'Aygul', cls: 'kashgar', clsName: 'Kashgar 101' });
  });

  it('normalises display names that carry bidi overrides or invisible characters, and refuses empty ones', () => {
    const spoof = mintToken(secret, { lectureId: 'chem', role: 'student', name: 'Li\u202eauH \u200bHua\u2066', subject: 's1' });
    expect(verifyToken(secret, spoof).name).toBe('LiauH Hua');
    const cafe = mintToken(secret, { lectureId: 'chem', role: 'student', name: 'Cafe\u0301  Lu', subject: 's2' });
    expect(verifyToken(secret, cafe).name).toBe('Caf\u00e9 Lu');
    const invisible = mintToken(secret, { lectureId: 'chem', role: 'student', name: '\u200b\u200d\u202e\u3164', subject: 's3' });
    expect(codeOf(() => verifyToken(secret, invisible))).toBe('TOKEN_INVALID');
    const room = mintToken(secret, { lectureId: 'chem', role: 'classroom', name: 'R', classroomId: 'k', classroomName: 'Kashgar\u202e101' });
    expect(verifyToken(secret, room).clsName).toBe('Kashgar101');
  });

  it('refuses to mint a classroom token without a classroom', () => {
    expect(codeOf(() => mintToken(secret, { lectureId: 'chem', role: 'classroom', name: 'Room' }))).toBe('BAD_REQUEST');
  });

  it('says TOKEN_EXPIRED for an expired token and TOKEN_INVALID for a forged one', () => {
    const expired = mintToken(secret, { lectureId: 'chem', role: 'student', name: 'S', ttlSeconds: -10 });
    expect(codeOf(() => verifyToken(secret, expired))).toBe('TOKEN_EXPIRED');
    const forged = mintToken('other-secret', { lectureId: 'chem', role: 'lecturer', name: 'M' });
    expect(codeOf(() => verifyToken(secret, forged))).toBe('TOKEN_INVALID');
  });

  it('rejects other algorithms, junk and oversized input', () => {
    const none = jwt.sign({ sub: 'x', lec: 'chem', role: 'lecturer', name: 'M' }, '', { algorithm: 'none' });
    expect(codeOf(() => verifyToken(secret, none))).toBe('TOKEN_INVALID');
    for (const junk of [undefined, null, 42, {}, '', 'a.b.c', 'x'.repeat(5000)]) {
      expect(codeOf(() => verifyToken(secret, junk))).toBe('TOKEN_INVALID');
    }
  });

  it('rejects validly signed tokens with bad claims', () => {
    const sign = (claims: object) => jwt.sign(claims, secret, { expiresIn: 60 });
    expect(codeOf(() => verifyToken(secret, sign({ sub: 'x', lec: 'chem', role: 'root', name: 'M' })))).toBe('TOKEN_INVALID');
    expect(codeOf(() => verifyToken(secret, sign({ sub: 'x', lec: 'chem', role: 'student' })))).toBe('TOKEN_INVALID');
    expect(codeOf(() => verifyToken(secret, sign({ sub: 'x', lec: 'chem', role: 'assistant', name: 'A' })))).toBe('TOKEN_INVALID');
    expect(codeOf(() => verifyToken(secret, jwt.sign({ sub: 'x', lec: 'chem', role: 'student', name: 'S' }, secret)))).toBe('TOKEN_INVALID');
  });
});

describe('token CLI durations', () => {
  it('parses seconds, minutes, hours and days', () => {
    expect(parseTtl('90')).toBe(90);
    expect(parseTtl('45m')).toBe(2700);
    expect(parseTtl('4h')).toBe(14400);
    expect(parseTtl('2d')).toBe(172800);
    expect(() => parseTtl('soon')).toThrow(/--ttl/);
  });
});
