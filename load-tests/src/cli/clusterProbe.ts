/**
 * The server side of a multi-node run: one ServerProbe per node, sampled together and merged into
 * one sample, so the timeline, steady state and summary count every worker of the cluster (the
 * cluster is the server under test) while each node's own share stays visible.
 */
import { ServerProbe, type ServerSample } from './serverProbe.ts';

export interface ProbedNode {
  url: string;
  /** A local node's pid, for /proc when it has no /metrics. */
  localPid?: number;
}

export class ClusterProbe {
  readonly #probes: { url: string; probe: ServerProbe }[];

  constructor(nodes: ProbedNode[], token?: string) {
    this.#probes = nodes.map((n) => ({
      url: n.url,
      probe: new ServerProbe(n.url, { ...(token ? { token } : {}), ...(n.localPid !== undefined ? { localPid: n.localPid } : {}) }),
    }));
  }

  async sample(): Promise<ServerSample | null> {
    const samples = await Promise.all(this.#probes.map(async ({ url, probe }) => ({ url, sample: await probe.sample().catch(() => null) })));
    return this.#probes.length === 1 ? samples[0]!.sample : mergeSamples(samples);
  }
}

/** One sample of the whole cluster; null unless every node answered (a partial sum would read as a drop). */
export function mergeSamples(parts: { url: string; sample: ServerSample | null }[]): ServerSample | null {
  if (parts.length === 0 || parts.some((p) => p.sample === null)) return null;
  const all = parts as { url: string; sample: ServerSample }[];
  const sum = (pick: (s: ServerSample) => number | null): number | null => {
    const xs = all.map((p) => pick(p.sample));
    return xs.some((x) => x === null) ? null : xs.reduce<number>((a, b) => a + b!, 0);
  };
  return {
    at: Math.max(...all.map((p) => p.sample.at)),
    source: all[0]!.sample.source,
    workers: all.flatMap((p) => p.sample.workers.map((w) => ({ ...w, node: p.url }))),
    nodeCpuPct: sum((s) => s.nodeCpuPct),
    nodeRssMb: sum((s) => s.nodeRssMb),
    consumers: sum((s) => s.consumers),
    participants: sum((s) => s.participants),
    nodes: all.map((p) => ({ url: p.url, cpuPct: p.sample.nodeCpuPct, rssMb: p.sample.nodeRssMb })),
  };
}
