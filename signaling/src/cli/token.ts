/**
 * Mints a join token: npm run token -- --lecture chem-101 --role student --name "Li Hua"
 *   [--classroom kashgar-101 --classroom-name "Kashgar Room 101"] [--subject id] [--ttl 4h]
 *   [--url http://host:3000]   (prints a join link instead of the bare token)
 * The secret comes from JWT_SECRET.
 */
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../../../shared/src/index.ts';
import { mintToken } from '../auth/tokens.ts';

export function parseTtl(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text);
  if (!match) throw new Error(`--ttl must look like 90s, 45m, 4h or 2d, got "${text}"`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      lecture: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      classroom: { type: 'string' },
      'classroom-name': { type: 'string' },
      subject: { type: 'string' },
      ttl: { type: 'string', default: '6h' },
      url: { type: 'string' },
    },
  });
  const secret = process.env.JWT_SECRET;
  if (!secret) throw new Error('set JWT_SECRET to the server\'s secret');
  if (!values.lecture || !values.role || !values.name) throw new Error('--lecture, --role and --name are required');
  if (!(ROLES as readonly string[]).includes(values.role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  const token = mintToken(secret, {
    lectureId: values.lecture,
    role: values.role as Role,
    name: values.name,
    subject: values.subject,
    classroomId: values.classroom,
    classroomName: values['classroom-name'],
    ttlSeconds: parseTtl(values.ttl ?? '6h'),
  });
  process.stdout.write(values.url ? `${values.url.replace(/\/$/, '')}/?token=${token}\n` : `${token}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    main();
  } catch (err) {
    process.stderr.write(`token: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
