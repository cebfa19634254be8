/**
 * The load-test tool end to end, small: a local server in its own process, a lecturer publishing
 * real (pre-encoded) RTP, one classroom and three students receiving it in a client process, a
 * speaker taking the floor. Proves the tool measures what it claims before anyone trusts its
 * numbers at scale.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseOptions, runLoadTest } from '@tongtang/load-tests';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tongtang-loadtest-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('load-test smoke run', () => {
  it('joins everyone, delivers media to every receiver and writes both reports', async () => {
    const options = parseOptions([
      '--local', '--classrooms', '1', '--students', '3', '--duration', '10s', '--ramp', '10/s',
      '--speakers', '1', '--interaction-rate', '2', '--quiet', '--out', out,
    ]);
    const { report } = await runLoadTest(options, () => {});
    const s = report.summary;

    expect(report.aborted).toBeNull();
    expect(report.errors).toEqual([]);
    expect(s.attempted).toBe(4);
    expect(s.failed).toBe(0);
    expect(s.joinSuccessRate).toBe(1);
    expect(report.receivers).toHaveLength(4);
    for (const r of report.receivers) {
      expect(r.error, `receiver ${r.index}`).toBeNull();
      expect(r.kbps, `receiver ${r.index} bitrate`).toBeGreaterThan(0);
      expect(r.firstVideoMs, `receiver ${r.index} first video`).not.toBeNull();
      expect(r.layerKbps.audio ?? 0, `receiver ${r.index} audio`).toBeGreaterThan(0);
    }
    expect(s.receiversWithoutMedia).toBe(0);
    // The default layer mix spreads students over the three simulcast layers.
    expect(Object.keys(s.layerKbps)).toEqual(expect.arrayContaining(['video-0', 'video-1', 'video-2', 'screen', 'audio']));
    expect(s.delayMs.count).toBeGreaterThan(0);
    // The speaker was granted the floor and heard by the other receivers.
    expect(s.speakers).toHaveLength(1);
    expect(s.speakers[0]!.grantToFirstRtpMs.count).toBeGreaterThanOrEqual(3);
    expect(s.speakers[0]!.raiseToLecturerMs).toBeGreaterThan(0);
    expect(s.raiseToLecturerMs.count).toBe(1);
    // The churn answered the lecturer's quick poll, which closed before the end.
    expect(s.poll?.answers).toBeGreaterThanOrEqual(1);
    // CPU of the server's workers comes from /metrics, or /proc for a local server.
    expect(s.server?.workers.length).toBeGreaterThanOrEqual(1);
    expect(s.clients.length).toBe(2);

    expect(fs.existsSync(path.join(out, 'report.json'))).toBe(true);
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|<link|src="http/); // self-contained
  }, 60_000);

  it('shows a killed media worker as gaps at every receiver, and each one recovering', async () => {
    const drill = path.join(out, 'drill');
    const options = parseOptions([
      '--local', '--classrooms', '1', '--students', '2', '--duration', '14s', '--ramp', '10/s',
      '--kill-worker-at', '5s', '--quiet', '--out', drill,
    ]);
    const { report } = await runLoadTest(options, () => {});
    const g = report.summary.mediaGaps;
    // Loss and bitrate alone would call this run clean; the gaps do not.
    expect(report.summary.receiversWithoutMedia).toBe(0);
    expect(g.receiversWithGaps).toBe(3);
    expect(g.mediaResets).toBe(3);
    expect(g.receiversNeverRecovered).toBe(0);
    expect(g.recoverMs.count).toBeGreaterThanOrEqual(3);
    for (const r of report.receivers) expect(r.unrecovered, `receiver ${r.index}`).toEqual([]);
    expect(fs.readFileSync(path.join(drill, 'report.html'), 'utf8')).toContain('went without a stream');
  }, 90_000);
});
