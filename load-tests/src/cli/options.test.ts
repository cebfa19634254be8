import { describe, expect, it } from 'vitest';
import { isLoopbackHost, parseOptions, rate, seconds, UsageError } from './options.ts';

const now = new Date('2026-11-22T10:00:00Z');

describe('parseOptions', () => {
  it('reads a full command line', () => {
    const o = parseOptions([
      '--url', 'http://127.0.0.1:3000/', '--classrooms', '3', '--students', '200', '--duration', '2m', '--ramp', '20/s',
      '--speakers', '2', '--interaction-rate', '5', '--secret', 's', '--lecture', 'chem', '--out', '/tmp/x',
      '--peers-per-process', '50', '--layers', '1',
    ], {}, now);
    expect(o).toMatchObject({
      url: 'http://127.0.0.1:3000', local: false, classrooms: 3, students: 200, durationS: 120, rampPerS: 20,
      speakers: 2, interactionRate: 5, secret: 's', lectureId: 'chem', out: '/tmp/x', peersPerProcess: 50, layers: 1,
    });
  });

  it('has defaults, a fresh lecture and a timestamped results folder', () => {
    const o = parseOptions(['--local'], {}, now);
    expect(o).toMatchObject({ local: true, classrooms: 2, students: 20, durationS: 120, rampPerS: 10, layers: 'mix', sfuWorkers: 1 });
    expect(o.lectureId).toBe('load-2026-11-22T10-00-00-000Z');
    expect(o.out).toBe('load-tests/results/2026-11-22T10-00-00-000Z');
  });

  it('reads --network PROFILE[:share] and rejects unknown profiles and bad shares as usage errors', () => {
    expect(parseOptions(['--local'], {}, now).network).toEqual([]);
    const o = parseOptions(['--local', '--network', 'kashgar:25%,lossy-5:0.1'], {}, now);
    expect(o.network.map((n) => [n.profile.name, n.share])).toEqual([['kashgar', 0.25], ['lossy-5', 0.1]]);
    expect(parseOptions(['--local', '--network', 'mobile-3g'], {}, now).network[0]!.share).toBe(1);
    expect(() => parseOptions(['--local', '--network', 'dialup'], {}, now)).toThrow(UsageError);
    expect(() => parseOptions(['--local', '--network', 'kashgar:2'], {}, now)).toThrow(/share/);
  });

  it('takes the secret from JWT_SECRET', () => {
    expect(parseOptions(['--url', 'http://localhost:1'], { JWT_SECRET: 'env' }).secret).toBe('env');
    expect(() => parseOptions(['--url', 'http://localhost:1'], {})).toThrow(/JWT secret/);
  });

  it('refuses anything but loopback unless --allow-remote', () => {
    expect(() => parseOptions(['--url', 'http://10.0.0.5:3000', '--secret', 's'])).toThrow(UsageError);
    expect(() => parseOptions(['--url', 'https://tongtang.example.edu', '--secret', 's'])).toThrow(/allow-remote/);
    const o = parseOptions(['--url', 'https://tongtang.example.edu', '--secret', 's', '--allow-remote']);
    expect(o.url).toBe('https://tongtang.example.edu');
  });

  it('rejects contradictions and nonsense', () => {
    expect(() => parseOptions([])).toThrow(/exactly one/);
    expect(() => parseOptions(['--local', '--url', 'http://127.0.0.1:1'])).toThrow(/exactly one/);
    expect(() => parseOptions(['--local', '--students', '2', '--speakers', '3'])).toThrow(/speakers/);
    expect(() => parseOptions(['--local', '--students', '-1'])).toThrow(UsageError);
    expect(() => parseOptions(['--local', '--layers', '3'])).toThrow(UsageError);
    expect(() => parseOptions(['--local', '--bogus'])).toThrow();
    expect(() => parseOptions(['--url', 'ftp://127.0.0.1', '--secret', 's'])).toThrow(/http/);
  });
});

describe('helpers', () => {
  it('recognises loopback hosts', () => {
    for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', '10.0.0.1', '128.0.0.1', 'localhost.evil.com', '127.0.0.1.nip.io']) expect(isLoopbackHost(h)).toBe(false);
  });

  it('parses durations and rates', () => {
    expect([seconds('120s'), seconds('2m'), seconds('90'), seconds('500ms')]).toEqual([120, 120, 90, 0.5]);
    expect(() => seconds('0s')).toThrow();
    expect(() => seconds('1h')).toThrow();
    expect([rate('10/s'), rate('2.5')]).toEqual([10, 2.5]);
    expect(() => rate('0/s')).toThrow();
  });
});

describe('several nodes', () => {
  it('reads a comma-separated --url: the lecturer on the first, the rest as further nodes', () => {
    const o = parseOptions(['--url', 'http://127.0.0.1:3000/, http://127.0.0.1:3001', '--secret', 's'], {}, now);
    expect(o).toMatchObject({ url: 'http://127.0.0.1:3000', otherUrls: ['http://127.0.0.1:3001'], localNodes: 0, local: false });
    expect(parseOptions(['--url', 'http://127.0.0.1:3000', '--secret', 's']).otherUrls).toEqual([]);
  });

  it('checks every listed node', () => {
    expect(() => parseOptions(['--url', 'http://127.0.0.1:3000,http://10.0.0.5:3000', '--secret', 's'])).toThrow(/allow-remote/);
    expect(() => parseOptions(['--url', 'http://127.0.0.1:3000,http://127.0.0.1:3000/', '--secret', 's'])).toThrow(/twice/);
    expect(() => parseOptions(['--url', ',', '--secret', 's'])).toThrow(/no URL/);
  });

  it('starts a local cluster with --local-nodes, which needs no secret and excludes the others', () => {
    expect(parseOptions(['--local-nodes', '2'], {}, now)).toMatchObject({ localNodes: 2, local: false, otherUrls: [] });
    expect(parseOptions(['--local-nodes', '2'], {}, now).url).toBeUndefined();
    expect(() => parseOptions(['--local-nodes', '0'])).toThrow(UsageError);
    expect(() => parseOptions(['--local-nodes', '2', '--local'])).toThrow(/exactly one/);
    expect(() => parseOptions(['--local-nodes', '2', '--url', 'http://127.0.0.1:1', '--secret', 's'])).toThrow(/exactly one/);
  });
});
