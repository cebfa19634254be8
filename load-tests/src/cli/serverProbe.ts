/**
 * The server's side of the picture, once a second: CPU and memory per mediasoup worker and of the
 * signaling process, from its Prometheus /metrics. For a --local server without /metrics wired,
 * the same numbers come from /proc (the workers are the server process's children).
 */
import fs from 'node:fs';

export interface ServerSample {
  at: number;
  source: 'metrics' | 'proc';
  /** Per mediasoup worker (keyed by pid): % of one core over the interval, and memory; `node`: its node's URL, with several. */
  workers: { pid: number; cpuPct: number; rssMb: number; node?: string }[];
  /** The signaling (Node) process; with several nodes, the sum over them (each is in `nodes`). */
  nodeCpuPct: number | null;
  nodeRssMb: number | null;
  consumers: number | null;
  participants: number | null;
  /** With several nodes: each node's signaling process on its own. */
  nodes?: { url: string; cpuPct: number | null; rssMb: number | null }[];
}

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format (the subset prom-client writes). */
export function parsePrometheus(text: string): PromSample[] {
  const out: PromSample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

interface CpuReading {
  at: number;
  /** Cumulative CPU seconds per key (worker pid, or 'node'). */
  cpu: Map<string, number>;
  rssMb: Map<string, number>;
  consumers: number | null;
  participants: number | null;
}

export class ServerProbe {
  #prev: CpuReading | undefined;
  #metricsWork = true;

  constructor(private readonly url: string, private readonly opts: { token?: string; localPid?: number } = {}) {}

  /** One sample, or null when nothing is reachable (remote server without /metrics). */
  async sample(): Promise<ServerSample | null> {
    let reading: CpuReading | null = null;
    let source: ServerSample['source'] = 'metrics';
    if (this.#metricsWork) reading = await this.#fromMetrics().catch(() => null);
    if (!reading && this.opts.localPid !== undefined) {
      this.#metricsWork = false; // don't ask again every second
      reading = fromProc(this.opts.localPid);
      source = 'proc';
    }
    if (!reading) return null;
    const prev = this.#prev;
    this.#prev = reading;
    const pct = (key: string) => {
      const a = prev?.cpu.get(key);
      const b = reading.cpu.get(key);
      if (a === undefined || b === undefined || reading.at <= prev!.at) return 0;
      return (100 * (b - a) * 1000) / (reading.at - prev!.at);
    };
    const workers = [...reading.cpu.keys()].filter((k) => k !== 'node').map((k) => ({
      pid: Number(k), cpuPct: pct(k), rssMb: reading.rssMb.get(k) ?? 0,
    }));
    return {
      at: reading.at, source, workers,
      nodeCpuPct: reading.cpu.has('node') ? pct('node') : null,
      nodeRssMb: reading.rssMb.get('node') ?? null,
      consumers: reading.consumers,
      participants: reading.participants,
    };
  }

  async #fromMetrics(): Promise<CpuReading | null> {
    const res = await fetch(`${this.url}/metrics`, {
      headers: this.opts.token ? { authorization: `Bearer ${this.opts.token}` } : {},
      signal: AbortSignal.timeout(2000),
    });
    if (!res.ok || !(res.headers.get('content-type') ?? '').includes('text/plain')) return null;
    const at = Date.now();
    const samples = parsePrometheus(await res.text());
    const cpu = new Map<string, number>();
    const rssMb = new Map<string, number>();
    let consumers: number | null = null;
    let participants: number | null = null;
    for (const s of samples) {
      if (s.name === 'tongtang_sfu_worker_cpu_seconds' && s.labels['pid']) cpu.set(s.labels['pid'], (cpu.get(s.labels['pid']) ?? 0) + s.value);
      else if (s.name === 'tongtang_sfu_worker_max_rss_bytes' && s.labels['pid']) rssMb.set(s.labels['pid'], s.value / 1e6);
      else if (s.name === 'process_cpu_seconds_total') cpu.set('node', s.value);
      else if (s.name === 'process_resident_memory_bytes') rssMb.set('node', s.value / 1e6);
      else if (s.name === 'tongtang_sfu_consumers') consumers = s.value;
      else if (s.name === 'tongtang_participants') participants = s.value;
    }
    if (!samples.some((s) => s.name.startsWith('tongtang_'))) return null;
    return { at, cpu, rssMb, consumers, participants };
  }
}

/** Clock ticks per second in /proc/<pid>/stat: 100 on every mainstream Linux build. */
const CLK_TCK = 100;

function fromProc(pid: number): CpuReading | null {
  const at = Date.now();
  const node = procStat(pid);
  if (!node) return null;
  const cpu = new Map<string, number>([['node', node.cpuS]]);
  const rssMb = new Map<string, number>([['node', node.rssMb]]);
  for (const child of childPids(pid)) {
    const s = procStat(child);
    // Only the SFU workers: tsx also runs an esbuild service as a child of the server.
    if (!s || !s.name.startsWith('mediasoup')) continue;
    cpu.set(String(child), s.cpuS);
    rssMb.set(String(child), s.rssMb);
  }
  return { at, cpu, rssMb, consumers: null, participants: null };
}

function procStat(pid: number): { name: string; cpuS: number; rssMb: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces; the fields after its closing paren are fixed.
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { name, cpuS: (Number(f[11]) + Number(f[12])) / CLK_TCK, rssMb: (Number(f[21]) * 4096) / 1e6 };
  } catch {
    return null;
  }
}

function childPids(pid: number): number[] {
  try {
    return fs.readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return [];
  }
}
