/**
 * `npm run load-test -- --local --classrooms 2 --students 50 --duration 60s`
 * Real-RTP load test of a Tongtang server; see options.ts for the flags and run.ts for the flow.
 * Exit code: 0 = every attempted join succeeded and every receiver got media without a gap, 1 = it ran but
 * something failed (see the report), 2 = bad command line or the run could not start.
 */
import path from 'node:path';
import { parseOptions, UsageError, USAGE } from './options.ts';
import { runLoadTest } from './run.ts';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let options;
  try {
    options = parseOptions(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  const { report, dir } = await runLoadTest(options);
  const s = report.summary;
  const line = (label: string, v: { p50: number | null; p95: number | null; p99: number | null }, unit: string) =>
    `${label.padEnd(28)} p50 ${fmt(v.p50)}  p95 ${fmt(v.p95)}  p99 ${fmt(v.p99)} ${unit}`;
  process.stdout.write([
    '',
    `joined ${s.joined}/${s.attempted} (planned ${s.planned}), failed ${s.failed}, dropped ${s.dropped}, without media ${s.receiversWithoutMedia}`,
    s.mediaGaps.receiversWithGaps > 0
      ? `MEDIA GAPS: ${s.mediaGaps.receiversWithGaps} receiver(s) went without a stream for over a second (longest ${fmt(s.mediaGaps.longestMs)} ms, ` +
        `${s.mediaGaps.receiversNeverRecovered} never recovered); time to recover p50 ${fmt(s.mediaGaps.recoverMs.p50)} p95 ${fmt(s.mediaGaps.recoverMs.p95)} max ${fmt(s.mediaGaps.recoverMs.max)} ms; ${s.mediaGaps.mediaResets} media reset(s)`
      : 'media gaps: none (no receiver went without a stream for over a second)',
    line('connect → joined', s.joinMs, 'ms'),
    line('join → first video RTP', s.firstVideoMs, 'ms'),
    line('loss per receiver', s.lossPct, '%'),
    ...s.networks.map((n) => `--network ${n.profile} (${n.description}): ${n.receivers} receiver(s), loss p50 ${fmt(n.lossPct.p50)}% max ${fmt(n.lossPct.max)}%, `
      + `${n.freezes} freeze(s) over 1 s (${n.freezesPerMinute === null ? '–' : n.freezesPerMinute.toFixed(2)}/min, longest ${fmt(n.longestFreezeMs)} ms), `
      + `relay dropped ${n.relayDownLost} down / ${n.relayUpLost} up / ${n.relayQueueDropped} over the cap`),
    line('media delay', s.delayMs, 'ms'),
    s.steady
      ? `steady state: ${s.steady.forwardedPps.toFixed(0)} pkt/s forwarded, SFU ${fmt(s.steady.sfuCpuPct)}% of a core = ${fmt(s.steady.sfuCpuUsPerPacket)} µs/packet, loss ${s.steady.lossPct.toFixed(3)}%`
      : 'steady state: run too short',
    ...(s.server?.nodes ?? []).map((n) => `node ${n.url}: signaling ${fmt(n.cpuMeanPct)}%, SFU workers ${fmt(n.workersCpuMeanPct)}% of a core (mean over the run)`),
    ...(s.raiseToLecturerMs.count > 0 ? [line('raise hand → lecturer sees it', s.raiseToLecturerMs, 'ms')] : []),
    ...s.speakers.map((sp) => line(`grant → speaker heard`, sp.grantToFirstRtpMs, 'ms')),
    ...(s.poll ? [`poll: ${s.poll.answers} students answered, results from ${s.poll.sites} site(s)`] : []),
    s.clientSaturated ? 'WARNING: a client process saturated; its receivers\' numbers are marked unreliable' : 'client processes: none saturated',
    s.udpRcvbufErrors ? `WARNING: the kernel dropped ${s.udpRcvbufErrors} UDP datagrams on this machine (receive buffers full)` : '',
    s.hostSaturated ? 'WARNING: this machine was flat out (≥95% CPU); the numbers are not the server\'s capacity' : '',
    report.aborted ? `ABORTED: ${report.aborted}` : '',
    `report: ${path.join(dir, 'report.html')}`,
    '',
  ].join('\n'));
  if (report.aborted && s.attempted === 0) return 2;
  return s.failed === 0 && s.receiversWithoutMedia === 0 && s.mediaGaps.receiversWithGaps === 0 && !report.aborted ? 0 : 1;
}

function fmt(v: number | null): string {
  return v === null ? '–' : v.toFixed(1);
}

main().then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`load test failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(2);
});
