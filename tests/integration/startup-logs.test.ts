/**
 * `npm start`'s process as a log collector sees it (output piped): every log line is one JSON
 * object with each key once (component and nodeId used to be written twice), around the banner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
let child: ChildProcess | undefined;
afterAll(() => { child?.kill('SIGTERM'); });

/** Top-level keys that appear more than once in a raw JSON line (JSON.parse would hide them). */
function repeatedKeys(line: string): string[] {
  const keys = Object.keys(JSON.parse(line) as object);
  return keys.filter((k) => line.split(`"${k}":`).length - 1 > 1);
}

describe('start-up logs', () => {
  it('are JSON lines without repeated keys when piped', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'signaling/src/main.ts', '--demo'], {
      cwd: root,
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', SFU_WORKERS: '2', SFU_LISTEN_IP: '127.0.0.1', SFU_RTC_PORT: '0', LOG_LEVEL: 'info', LOG_FORMAT: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner in 25 s:\n${out}`)), 25_000);
      child!.stdout!.on('data', () => { if (out.includes('is ready.') && out.includes('"msg":"tongtang listening"')) { clearTimeout(timer); resolve(); } });
      child!.on('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
    });
    const jsonLines = out.split('\n').filter((l) => l.startsWith('{'));
    expect(jsonLines.map((l) => JSON.parse(l) as { msg: string }).map((l) => l.msg)).toEqual(
      expect.arrayContaining(['mediasoup worker started', 'tongtang listening']));
    expect(jsonLines.filter((l) => l.includes('"component":"sfu"')).length).toBeGreaterThanOrEqual(2); // one per worker
    for (const line of jsonLines) expect(repeatedKeys(line), line).toEqual([]);
  }, 40_000);
});
