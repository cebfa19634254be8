/**
 * Mints a join token: npm run token -- --lecture chem-101 --role student --name "Li Hua"
 *   [--classroom kashgar-101 --classroom-name "Kashgar Room 101"] [--subject id] [--ttl 4h]
 *   [--url http://host:3000]   (prints a join link instead of the bare token)
 *   [--demo]   (for `npm start`: its dev secret, and its demo lecture unless --lecture is given)
 * The secret comes from JWT_SECRET; outside demo mode a placeholder or short one is refused,
 * since a token signed with it would only be refused by the server, with no hint why.
 */
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '@tongtang/shared';
import { mintToken } from '../auth/tokens.ts';
import { DEFAULT_DEMO_LECTURE_ID, DEV_SECRET } from '../config.ts';

export const MIN_SECRET_LENGTH = 16;
/** What people paste from documentation instead of the real secret. */
const PLACEHOLDER = /^(\.+|…|x+|changeme|change-me|secret|your[-_ ]?secret.*|<.*>|\$\{?[A-Z_]+\}?)$/i;

export function parseTtl(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text);
  if (!match) throw new Error(`--ttl must look like 90s, 45m, 4h or 2d, got "${text}"`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

/** The secret to sign with, or an error that says what to do instead. */
export function signingSecret(env: NodeJS.ProcessEnv, demo: boolean): string {
  const secret = env.JWT_SECRET;
  if (!secret) {
    if (demo) return DEV_SECRET;
    throw new Error('set JWT_SECRET to the server\'s secret (or add --demo to sign for `npm start`)');
  }
  if (demo) return secret;
  if (PLACEHOLDER.test(secret.trim())) {
    throw new Error(`JWT_SECRET is a placeholder ("${secret}"): set it to the secret the server runs with, or add --demo to sign for \`npm start\``);
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`JWT_SECRET is only ${secret.length} characters: the server's secret has at least ${MIN_SECRET_LENGTH}; use that one`);
  }
  return secret;
}

/** The line to print for these arguments: a token, or a join link with --url. */
export function tokenLine(argv: string[], env: NodeJS.ProcessEnv): string {
  const { values } = parseArgs({
    args: argv,
    options: {
      lecture: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      classroom: { type: 'string' },
      'classroom-name': { type: 'string' },
      subject: { type: 'string' },
      ttl: { type: 'string', default: '6h' },
      url: { type: 'string' },
      demo: { type: 'boolean', default: false },
    },
  });
  const demo = values.demo === true || env.TONGTANG_DEMO === '1';
  const secret = signingSecret(env, demo);
  const lecture = values.lecture ?? (demo ? env.DEMO_LECTURE_ID ?? DEFAULT_DEMO_LECTURE_ID : undefined);
  if (!lecture || !values.role || !values.name) throw new Error('--lecture, --role and --name are required');
  if (!(ROLES as readonly string[]).includes(values.role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  const token = mintToken(secret, {
    lectureId: lecture,
    role: values.role as Role,
    name: values.name,
    subject: values.subject,
    classroomId: values.classroom,
    classroomName: values['classroom-name'],
    ttlSeconds: parseTtl(values.ttl ?? '6h'),
  });
  return values.url ? `${values.url.replace(/\/$/, '')}/?token=${token}` : token;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    process.stdout.write(`${tokenLine(process.argv.slice(2), process.env)}\n`);
  } catch (err) {
    process.stderr.write(`token: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
