/**
 * `--network` in the load-test tool, end to end and small: a local server, the lecturer's real RTP
 * program, two students, one of them on the kashgar link through the harness's relay. The profile's
 * receiver must get its media through the relay (the relay dropped packets at random, and the
 * rate cap holds its bitrate down) and the report must show the profile's own loss and freezes,
 * while the plain receiver is untouched.
 *
 * It runs with the e2e group (alone, after the parallel suites), though no browser is involved:
 * its relay plays a 150 ms, 3 % loss, 300 kbit/s link in real time, and on two cores shared with
 * other suites a starved event loop was counted as the link's loss (the handshake never made it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseOptions, runLoadTest } from '@tongtang/load-tests';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tongtang-loadtest-net-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('load test with --network', () => {
  it('puts its share of the receivers on the emulated link and reports loss and freezes per profile', async () => {
    const options = parseOptions([
      '--local', '--classrooms', '0', '--students', '2', '--duration', '20s', '--ramp', '10/s', '--layers', '0',
      '--network', 'kashgar:50%', '--quiet', '--out', out,
    ]);
    const { report } = await runLoadTest(options, () => {});
    const s = report.summary;
    expect(report.aborted).toBeNull();
    expect(s.joined).toBe(2);

    const [kashgar, plain] = [report.receivers.find((r) => r.network === 'kashgar')!, report.receivers.find((r) => r.network === null)!];
    expect(kashgar).toBeDefined();
    expect(plain).toBeDefined();
    expect(plain.layerKbps.audio ?? 0, 'the plain receiver hears the lecturer').toBeGreaterThan(0);
    expect(kashgar.kbps, 'media reaches the kashgar receiver through the relay').toBeGreaterThan(50);

    expect(s.networks).toHaveLength(1);
    const row = s.networks[0]!;
    console.log(`load test --network kashgar: ${JSON.stringify(row)}; plain receiver ${plain.kbps.toFixed(0)} kbps, loss ${plain.lossPct?.toFixed(2)} %`);
    expect(row).toMatchObject({ profile: 'kashgar', receivers: 1 });
    // 3 % random loss down on a few hundred packets a second for 20 s: hundreds dropped.
    expect(row.relayDownLost).toBeGreaterThan(20);
    expect(row.relayUpLost).toBeGreaterThan(0); // RTCP and ICE checks cross it too
    expect(row.lossPct.count).toBe(1);
    expect(row.freezesPerMinute).not.toBeNull();
    // The 300 kbit/s cap (RTP payload is a little less than what crosses the link).
    expect(kashgar.kbps).toBeLessThan(300);
    // The run's own loss figure is the plain receiver's; the emulated link's is in its row.
    expect(s.lossPct.count).toBe(1);
    expect(s.lossPct.max).toBe(plain.lossPct);
    expect(fs.readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('Emulated links (--network)');
  }, 90_000);
});
