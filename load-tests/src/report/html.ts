/** The report as one self-contained HTML page: summary tables and inline SVG charts. */
import type { LayerKey } from '../rtp/ConsumerMeter.ts';
import type { Summary } from '../stats/percentiles.ts';
import { escapeXml as esc, histogramChart, lineChart, type Series } from './svg.ts';
import type { LoadTestReport, Quantiles } from './types.ts';

const LAYER_NAMES: Record<LayerKey, string> = {
  'video-0': 'camera 180p', 'video-1': 'camera 360p', 'video-2': 'camera 720p', 'video-?': 'camera (before a key frame)',
  screen: 'screen share', audio: 'audio',
};

const n = (v: number | null | undefined, digits = 1) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));

function summaryRow(label: string, s: Summary | Quantiles, unit: string): string {
  return `<tr><th>${esc(label)}</th><td>${s.count}</td><td>${n(s.p50)}</td><td>${n(s.p95)}</td><td>${n(s.p99)}</td><td>${n(s.max)}</td><td>${esc(unit)}</td></tr>`;
}

export function renderHtml(r: LoadTestReport): string {
  const s = r.summary;
  const t = r.timeline;
  const layers = [...new Set(t.flatMap((p) => Object.keys(p.rxKbps)))] as LayerKey[];
  const pids = [...new Set(t.flatMap((p) => Object.keys(p.serverWorkerCpuPct)))];
  const series = (name: string, pick: (p: (typeof t)[number]) => number | null | undefined): Series =>
    ({ name, points: t.map((p) => [p.t, pick(p) ?? null]) });

  const charts = [
    lineChart('Received bitrate per layer, all receivers (kbps)', layers.map((k) => series(LAYER_NAMES[k] ?? k, (p) => p.rxKbps[k] ?? 0)), 'kbps'),
    lineChart('Packet loss at receivers (%)', [series('loss', (p) => p.lossPct)], '%'),
    histogramChart('Join time: connect → joined (ms)', r.receivers.flatMap((x) => (x.joinMs !== null ? [x.joinMs] : [])), 'ms'),
    histogramChart('Join → first video RTP (ms)', r.receivers.flatMap((x) => (x.firstVideoMs !== null ? [x.firstVideoMs] : [])), 'ms'),
    lineChart('CPU (% of one core)', [
      ...pids.map((pid) => series(`SFU worker ${pid}`, (p) => p.serverWorkerCpuPct[pid] ?? null)),
      series('signaling (node)', (p) => p.serverNodeCpuPct),
      series('busiest client process', (p) => p.clientCpuMaxPct),
      series('whole machine (all cores)', (p) => p.hostCpuPct),
    ], '%'),
    lineChart('Latency over time (ms)', [
      series('media p50 (publisher → receiver)', (p) => p.delayP50Ms),
      series('media p95', (p) => p.delayP95Ms),
      series('signaling request p95', (p) => p.rttP95Ms),
    ], 'ms'),
    lineChart('Peers joined', [series('joined', (p) => p.joined), series('failed', (p) => p.failed)], 'peers'),
  ];

  const warn = [
    r.aborted ? `<p class="bad">Run aborted: ${esc(r.aborted)}</p>` : '',
    s.clientSaturated ? `<p class="bad">A client process saturated (≥90% of a core, or its event loop waiting ≥100 ms): loss and latency of its receivers are marked unreliable and may be the client's own doing, not the server's.</p>` : '',
    s.hostSaturated ? `<p class="bad">The machine running the load test was flat out (≥95% of all cores): numbers describe this machine at least as much as the server.</p>` : '',
    s.udpRcvbufErrors ? `<p class="bad">This machine's kernel dropped ${s.udpRcvbufErrors} UDP datagrams for full socket receive buffers: that loss happened on this machine (clients too slow to read), not on the way.</p>` : '',
    s.receiversWithoutMedia > 0 ? `<p class="bad">${s.receiversWithoutMedia} joined receiver(s) received no media.</p>` : '',
    s.mediaGaps.receiversWithGaps > 0
      ? `<p class="bad">${s.mediaGaps.receiversWithGaps} receiver(s) went without a stream for over a second mid-run (longest ${Math.round(s.mediaGaps.longestMs ?? 0)} ms; ${s.mediaGaps.receiversNeverRecovered} never recovered; time to recover p50 ${Math.round(s.mediaGaps.recoverMs.p50 ?? 0)} ms, max ${Math.round(s.mediaGaps.recoverMs.max ?? 0)} ms; ${s.mediaGaps.mediaResets} media reset(s)).</p>`
      : '<p>No receiver went without a stream for over a second.</p>',
  ].join('');

  const server = s.server
    ? `<table><tr><th>process</th><th>CPU mean %</th><th>CPU max %</th><th>memory max MB</th></tr>${s.server.workers
      .map((w) => `<tr><td>SFU worker ${w.pid}${w.node ? ` (${esc(w.node)})` : ''}</td><td>${n(w.cpuMeanPct)}</td><td>${n(w.cpuMaxPct)}</td><td>${n(w.rssMaxMb)}</td></tr>`).join('')}
      ${(s.server.nodes ?? []).map((x) => `<tr><td>signaling ${esc(x.url)}</td><td>${n(x.cpuMeanPct)}</td><td>${n(x.cpuMaxPct)}</td><td></td></tr>`).join('')}
      <tr><td>signaling (node${s.server.nodes ? 's, summed' : ''})</td><td>${n(s.server.nodeCpuMeanPct)}</td><td>${n(s.server.nodeCpuMaxPct)}</td><td>${n(s.server.nodeRssMaxMb)}</td></tr></table><p>source: ${esc(s.server.source)}</p>`
    : '<p>Server metrics unavailable (no /metrics on the server and not a local run).</p>';

  const clients = `<table><tr><th>client process</th><th>peers</th><th>CPU mean %</th><th>CPU max %</th><th>event-loop p99 max ms</th><th>saturated</th></tr>${s.clients
    .map((c) => `<tr class="${c.saturated ? 'bad' : ''}"><td>${c.worker === 0 ? '0 (lecturer)' : c.worker}</td><td>${c.peers}</td><td>${n(c.cpuMeanPct)}</td><td>${n(c.cpuMaxPct)}</td><td>${n(c.loopDelayP99MaxMs)}</td><td>${c.saturated ? `YES (${c.saturatedSeconds} s: ${c.saturatedBy.join(', ')})` : 'no'}</td></tr>`).join('')}</table>`;

  const rtt = Object.entries(s.rttMs).map(([name, q]) => summaryRow(name, q, 'ms')).join('');
  const speakers = (s.raiseToLecturerMs.count > 0 ? summaryRow('raise hand → lecturer sees it', s.raiseToLecturerMs, 'ms') : '')
    + s.speakers.map((sp) => summaryRow(`grant → first audio of ${sp.participantId}`, sp.grantToFirstRtpMs, 'ms')).join('');
  const layerRows = Object.entries(s.layerKbps).map(([k, v]) => `<tr><th>${esc(LAYER_NAMES[k as LayerKey] ?? k)}</th><td>${n(v)}</td></tr>`).join('');

  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tongtang load test ${esc(r.startedAt)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}th{text-align:left}
pre{white-space:pre-wrap;word-break:break-all}.bad{color:#b00020;font-weight:bold}figure{display:inline-block;margin:0 1em 1em 0;vertical-align:top}figcaption{font-weight:bold}.legend{font-size:12px}.empty{color:#888}</style></head><body>
<h1>Tongtang load test</h1>
<p>${esc(r.target.url)}${r.target.local ? ' (local server started for the run)' : ''} · ${esc(r.startedAt)} → ${esc(r.finishedAt)}</p>
<pre>${esc(JSON.stringify(r.options))}</pre>${warn}
<h2>Joins</h2><p>planned ${s.planned} · attempted ${s.attempted} · joined ${s.joined} · failed ${s.failed} · dropped later ${s.dropped} · success rate ${s.joinSuccessRate === null ? '–' : (100 * s.joinSuccessRate).toFixed(2) + '%'}</p>
<table><tr><th></th><th>n</th><th>p50</th><th>p95</th><th>p99</th><th>max</th><th></th></tr>
${summaryRow('connect → joined', s.joinMs, 'ms')}${summaryRow('join → first video RTP', s.firstVideoMs, 'ms')}${summaryRow('join → first audio RTP', s.firstAudioMs, 'ms')}
${summaryRow('loss per receiver', s.lossPct, '%')}${summaryRow('loss per receiver (unsaturated clients)', s.reliableLossPct, '%')}
${summaryRow('jitter per receiver (worst stream)', s.jitterMs, 'ms')}${summaryRow('bitrate per receiver', s.receiverKbps, 'kbps')}
${summaryRow('media delay publisher → receiver', s.delayMs, 'ms')}${speakers}</table>
${networkTable(s.networks)}
<h2>Received bitrate per layer (mean per receiver)</h2><table><tr><th>layer</th><th>kbps</th></tr>${layerRows}</table>
<h2>Signaling round trips</h2><table><tr><th>request</th><th>n</th><th>p50</th><th>p95</th><th>p99</th><th>max</th><th></th></tr>${rtt}</table>
<h2>Steady state</h2>${s.steady ? `<p>${n(s.steady.fromS, 0)} s → ${n(s.steady.toS, 0)} s after the ramp started: ${n(s.steady.forwardedPps, 0)} packets/s forwarded to the receivers, SFU workers at ${n(s.steady.sfuCpuPct)}% of a core = <b>${n(s.steady.sfuCpuUsPerPacket, 2)} µs of CPU per forwarded packet</b>; loss ${n(s.steady.lossPct, 3)}%, media delay p50 ${n(s.steady.delayP50Ms)} / p95 ${n(s.steady.delayP95Ms)} ms.</p>` : '<p>The run was too short for a steady state.</p>'}
<h2>Server</h2>${server}
<h2>Client processes</h2>${clients}<p>Machine CPU max: ${n(s.hostCpuMaxPct)}% of all cores.</p>
<h2>Charts</h2>${charts.join('\n')}
${r.errors.length ? `<h2>Errors</h2><ul>${r.errors.slice(0, 200).map((e) => `<li>${esc(e)}</li>`).join('')}</ul>` : ''}
</body></html>`;
}

/** Receivers on emulated links (--network): what each profile cost them. */
function networkTable(rows: LoadTestReport['summary']['networks']): string {
  if (rows.length === 0) return '';
  const f = (v: number | null, digits = 1) => (v === null ? '–' : v.toFixed(digits));
  return `<h2>Emulated links (--network)</h2><table><tr><th>profile</th><th>receivers</th><th>loss p50 %</th><th>loss max %</th><th>kbps p50</th>`
    + `<th>freezes (&gt;1 s)</th><th>per minute</th><th>longest ms</th><th>relay dropped ↓ / ↑ / over cap</th></tr>${rows.map((r) =>
      `<tr><th>${esc(r.profile)} <small>${esc(r.description)}</small></th><td>${r.receivers}</td><td>${f(r.lossPct.p50, 2)}</td><td>${f(r.lossPct.max, 2)}</td>`
      + `<td>${f(r.receiverKbps.p50, 0)}</td><td>${r.freezes}</td><td>${f(r.freezesPerMinute, 2)}</td><td>${f(r.longestFreezeMs, 0)}</td>`
      + `<td>${r.relayDownLost} / ${r.relayUpLost} / ${r.relayQueueDropped}</td></tr>`).join('')}</table>`;
}
