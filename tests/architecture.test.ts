/**
 * The boundaries the design depends on, checked on every test run: shared/ stays light, the SFU
 * knows nothing of signaling, signaling reaches mediasoup only through the MediaNode interface
 * (the composition root main.ts excepted), and the browser bundle never pulls in server code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['node_modules', 'dist', 'results'].includes(entry.name)) out.push(...sourceFiles(rel));
    } else if (/\.(ts|tsx)$/.test(entry.name)) out.push(rel);
  }
  return out;
}

/** Every module specifier a file imports (static, dynamic and re-exports). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const specs = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm)];
  return specs.map((m) => m[1] ?? m[2] ?? m[3]!).filter(Boolean);
}

/** Our own workspace packages: `@tongtang/<folder>` is that folder's `src/index.ts`. */
const WORKSPACE = '@tongtang/';

/** The repository path an import of ours lands on (relative or workspace), or null for a third-party package. */
function landsOn(file: string, spec: string): string | null {
  if (spec.startsWith(WORKSPACE)) {
    const [pkg, ...sub] = spec.slice(WORKSPACE.length).split('/');
    const manifest = JSON.parse(fs.readFileSync(path.join(root, pkg!, 'package.json'), 'utf8')) as { main?: string; exports?: Record<string, string> };
    const entry = sub.length ? manifest.exports?.[`./${sub.join('/')}`] : (manifest.exports?.['.'] ?? manifest.main);
    return entry === undefined ? `${pkg}/(not exported: ${sub.join('/')})` : path.join(pkg!, entry);
  }
  if (!spec.startsWith('.')) return null;
  return path.relative(root, path.resolve(root, path.dirname(file), spec)).split(path.sep).join('/');
}

/** The top-level folder an import of ours lands in, or the package name of a third-party one. */
function target(file: string, spec: string): string {
  const ours = landsOn(file, spec);
  if (ours !== null) return ours.split('/')[0]!;
  return spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
}

function violations(dir: string, forbidden: (t: string, file: string) => boolean): string[] {
  return sourceFiles(dir).flatMap((f) => importsOf(f).filter((s) => forbidden(target(f, s), f)).map((s) => `${f} imports ${s}`));
}

describe('architecture', () => {
  it('keeps shared/ free of everything but the schema library', () => {
    expect(violations('shared', (t) => !['shared', 'zod', 'vitest'].includes(t))).toEqual([]);
  });

  it('keeps the SFU free of signaling and Socket.IO', () => {
    expect(violations('sfu-server', (t) => ['signaling', 'socket.io', 'socket.io-client', 'express', 'web-client'].includes(t))).toEqual([]);
  });

  it('lets signaling reach mediasoup only through the MediaNode interface', () => {
    // main.ts composes the node; tests build real nodes to test against.
    const composition = (f: string) => f === path.join('signaling', 'src', 'main.ts') || f.endsWith('.test.ts');
    expect(violations('signaling', (t, f) => (t === 'mediasoup' || (t === 'sfu-server' && !composition(f))))).toEqual([]);
  });

  it('keeps server code out of the web client', () => {
    expect(violations('web-client', (t) => ['signaling', 'sfu-server', 'mediasoup', 'socket.io', 'express', 'load-tests', 'tests'].includes(t))).toEqual([]);
  });

  // The allowed-import table of docs/architecture.md ("Who may import what"), checked here.
  const resolved = (file: string, spec: string) => landsOn(file, spec) ?? spec;
  const isTest = (f: string) => /\.test\.tsx?$/.test(f);
  const reaches = (dir: string, into: string, allowed: string[], from: (f: string) => boolean = () => true) =>
    sourceFiles(dir).filter(from).flatMap((f) => importsOf(f).filter((s) => target(f, s) === into && !allowed.includes(resolved(f, s))).map((s) => `${f} imports ${s}`));

  it('keeps the protocol client on shared/ and Socket.IO alone', () => {
    expect(violations('protocol-client', (t) => !['protocol-client', 'shared', 'socket.io-client'].includes(t))).toEqual([]);
  });

  it('keeps test and bench support out of production code', () => {
    const production = ['shared', 'protocol-client', 'sfu-server/src', 'signaling/src', 'web-client/src'];
    const support = /(^|\/)(test-support|bench)\/|^tests\/|^load-tests\//;
    // A file importing the test runner is a test or test support (a contract suite), whatever its name.
    const bad = production.flatMap((dir) => sourceFiles(dir).filter((f) => !isTest(f))
      .flatMap((f) => importsOf(f).filter((s) => support.test(resolved(f, s)) || s === 'vitest').map((s) => `${f} imports ${s}`)));
    expect(bad).toEqual([]);
  });

  it('lets load-tests reach the servers only through their declared modules', () => {
    expect(reaches('load-tests', 'signaling', ['signaling/src/auth/tokens.ts'])).toEqual([]);
    expect(reaches('load-tests', 'sfu-server', ['sfu-server/src/index.ts'])).toEqual([]);
    expect(violations('load-tests', (t) => ['web-client', 'tests', 'socket.io', 'express'].includes(t))).toEqual([]);
  });

  // tests/ shares one module with the load-test tool, its package entry (load-tests/src/index.ts).
  const testsMayUse = ['load-tests/src/index.ts'];

  it('lets tests reach load-tests only through its package entry, by name', () => {
    expect(reaches('tests', 'load-tests', testsMayUse)).toEqual([]);
    const byPath = sourceFiles('tests').flatMap((f) => importsOf(f).filter((s) => target(f, s) === 'load-tests' && s !== '@tongtang/load-tests').map((s) => `${f} imports ${s}`));
    expect(byPath).toEqual([]);
  });

  it('states the same declared modules in docs/architecture.md as it checks', () => {
    const doc = fs.readFileSync(path.join(root, 'docs/architecture.md'), 'utf8');
    const row = (from: string) => doc.split('\n').find((l) => l.startsWith(`| ${from} |`)) ?? '';
    expect(row('load-tests/src')).toContain('`signaling/src/auth/tokens.ts`');
    expect(row('load-tests/src')).toContain('`sfu-server/src/index.ts`');
    expect(row('tests/')).toContain('load-tests only via `@tongtang/load-tests`');
    for (const m of testsMayUse) expect(row('tests/')).toContain(`\`${m}\``);
    expect(row('protocol-client/src')).toContain('shared, socket.io-client');
  });

  it('has packages reach each other by their workspace names, never by a path into another folder', () => {
    const packages = ['shared', 'protocol-client', 'sfu-server', 'signaling', 'web-client', 'load-tests'];
    const bad = packages.flatMap((dir) => sourceFiles(dir).filter((f) => !isTest(f))
      .flatMap((f) => importsOf(f).filter((s) => s.startsWith('.') && target(f, s) !== dir).map((s) => `${f} imports ${s}`)));
    expect(bad).toEqual([]);
  });

  it('keeps lecture code off the transport: it sees a ParticipantLink, never a Socket.IO socket', () => {
    const lecture = path.join('signaling', 'src', 'lecture');
    expect(violations(lecture, (t, f) => t === 'socket.io' || (!isTest(f) && t === 'express'))).toEqual([]);
    expect(sourceFiles(lecture).flatMap((f) => importsOf(f).filter((s) => resolved(f, s).startsWith('signaling/src/rpc/')).map((s) => `${f} imports ${s}`)))
      .toEqual([]);
  });

  // The backplane seam (docs/architecture.md): the lecture depends on it, never the other way.
  const within = (dir: string) => (f: string, s: string) => resolved(f, s).startsWith(`${dir}/`);
  const importsInto = (dir: string, into: (f: string, s: string) => boolean) =>
    sourceFiles(dir).flatMap((f) => importsOf(f).filter((s) => into(f, s)).map((s) => `${f} imports ${s}`));

  it('keeps the backplane and the store free of lecture code', () => {
    for (const dir of ['signaling/src/backplane', 'signaling/src/store']) {
      expect(importsInto(dir, within('signaling/src/lecture'))).toEqual([]);
    }
  });

  it('lets lecture code see the backplane only through its seam, so it never knows which mode it runs in', () => {
    const seam = ['signaling/src/backplane/Backplane.ts', 'signaling/src/backplane/LectureBus.ts', 'signaling/src/store/LectureStore.ts'];
    const backplaneOrStore = (f: string, s: string) => within('signaling/src/backplane')(f, s) || within('signaling/src/store')(f, s);
    // Its tests may build a local backplane to run a room on.
    expect(importsInto('signaling/src/lecture', (f, s) => !isTest(f) && backplaneOrStore(f, s) && !seam.includes(resolved(f, s)))).toEqual([]);
  });

  it('chooses the Redis backplane in one place, main.ts', () => {
    const redis = ['signaling/src/backplane/RedisBackplane.ts', 'signaling/src/store/RedisLectureStore.ts'];
    const users = sourceFiles('signaling/src').filter((f) => !isTest(f) && !f.startsWith('signaling/src/backplane/') && !f.startsWith('signaling/src/store/'))
      .filter((f) => importsOf(f).some((s) => redis.includes(resolved(f, s))));
    expect(users).toEqual(['signaling/src/main.ts']);
  });

  it('keeps the lecture machine pure: shared/ and its own folder only (no I/O, no room, no backplane)', () => {
    const machine = 'signaling/src/lecture/machine';
    const bad = sourceFiles(machine).filter((f) => !isTest(f))
      .flatMap((f) => importsOf(f).filter((s) => target(f, s) !== 'shared' && !within(machine)(f, s)).map((s) => `${f} imports ${s}`));
    expect(bad).toEqual([]);
  });

  it('detects a forbidden import when there is one', () => {
    expect(target('signaling/src/x.ts', '@tongtang/sfu-server')).toBe('sfu-server');
    expect(target('sfu-server/src/x.ts', 'socket.io')).toBe('socket.io');
    expect(target('web-client/src/a/b.ts', '@tongtang/shared')).toBe('shared');
    expect(target('web-client/src/a/b.ts', '@socket.io/redis-streams-adapter')).toBe('@socket.io/redis-streams-adapter');
    expect(resolved('load-tests/src/a/b.ts', '@tongtang/sfu-server')).toBe('sfu-server/src/index.ts');
    expect(resolved('load-tests/src/a/b.ts', '@tongtang/signaling/tokens')).toBe('signaling/src/auth/tokens.ts');
    expect(resolved('load-tests/src/a/b.ts', '../../../signaling/src/server.ts')).toBe('signaling/src/server.ts');
    expect(within('signaling/src/lecture')('signaling/src/backplane/Cascade.ts', '../lecture/LectureRoom.ts')).toBe(true);
    expect(within('signaling/src/lecture')('signaling/src/backplane/Cascade.ts', './LectureBus.ts')).toBe(false);
    expect(resolved('tests/a/b.ts', '@tongtang/load-tests')).toBe('load-tests/src/index.ts');
    expect(resolved('tests/a/b.ts', '../../load-tests/src/net/netns.ts')).toBe('load-tests/src/net/netns.ts');
  });
});
