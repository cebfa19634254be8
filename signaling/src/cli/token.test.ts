import { describe, expect, it } from 'vitest';
import { verifyToken } from '../auth/tokens.ts';
import { configFromEnv } from '../config.ts';
import { signingSecret, tokenLine } from './token.ts';

const STUDENT = ['--role', 'student', '--name', 'Li Hua'];

describe('npm run token', () => {
  it('refuses a placeholder or short secret outside demo mode, saying what to do', () => {
    for (const placeholder of ['...', '…', 'changeme', '<secret>', 'xxxx', '${JWT_SECRET}']) {
      expect(() => tokenLine(['--lecture', 'chem-101', ...STUDENT], { JWT_SECRET: placeholder })).toThrow(/placeholder.*--demo/);
    }
    expect(() => tokenLine(['--lecture', 'chem-101', ...STUDENT], { JWT_SECRET: 'short-secret' })).toThrow(/only 12 characters.*at least 16/);
    expect(() => tokenLine(['--lecture', 'chem-101', ...STUDENT], {})).toThrow(/set JWT_SECRET/);
    expect(signingSecret({ JWT_SECRET: 'a-real-secret-of-32-characters!!' }, false)).toBe('a-real-secret-of-32-characters!!');
  });

  it('signs for `npm start` with --demo: the server\'s demo secret and demo lecture', () => {
    const server = configFromEnv({}, ['--demo']); // what `npm start` runs with
    const link = tokenLine(['--demo', ...STUDENT, '--url', 'http://localhost:3000/'], {});
    expect(link).toMatch(/^http:\/\/localhost:3000\/\?token=/);
    const claims = verifyToken(server.jwtSecret, new URL(link).searchParams.get('token'));
    expect(claims).toMatchObject({ lec: server.demoLectureId, role: 'student', name: 'Li Hua' });
  });

  it('the README example works as written against the demo server', () => {
    // README: JWT_SECRET=tongtang-dev-secret-change-me npm run token -- --lecture demo-chem-101 --role student ...
    const server = configFromEnv({}, ['--demo']);
    const token = tokenLine(['--lecture', 'demo-chem-101', ...STUDENT], { JWT_SECRET: 'tongtang-dev-secret-change-me' });
    expect(verifyToken(server.jwtSecret, token)).toMatchObject({ lec: server.demoLectureId });
  });
});
