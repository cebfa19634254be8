/**
 * A network profile applied to a client in a network namespace (a Chromium, say), with the kernel
 * doing what it can and the relay the rest:
 * - bandwidth: tbf on each end of the veth (host end = the client's downlink, namespace end = its uplink);
 * - random loss: nftables `numgen random` drop rules in the namespace, on UDP (the media; the page
 *   and signaling over TCP would only retransmit);
 * - delay ± jitter: no netem in this kernel, so the namespace DNATs the client's UDP to the media
 *   server into a UdpRelay on the host end, which holds each datagram and forwards it. conntrack
 *   undoes the DNAT on the way back, so the client sees the server's own address and ICE is none
 *   the wiser. Delay therefore applies to UDP media only, not to the page or signaling.
 * Everything is named per process and per call and removed by close() (and at process exit).
 */
import { execFileSync } from 'node:child_process';
import type { NetworkProfile, LinkSpec } from './profiles.ts';
import { UdpRelay, type Endpoint } from './relay.ts';

export interface NamespaceEnds {
  /** `ip netns` name. */
  name: string;
  /** Host end of the veth pair. */
  hostIf: string;
  /** Namespace end of the veth pair. */
  nsIf: string;
  /** Address of the host end (the relay listens there). */
  hostIp: string;
}

export interface NetnsConditions {
  table: string;
  /** The delay relay, when the profile has delay or jitter. */
  relay: UdpRelay | undefined;
  /** Puts the tbf bandwidth caps on (separate, so a test can load the page on a fast link first). */
  capBandwidth(): void;
  /** Takes the caps off again (the link recovers; loss and delay stay). */
  uncapBandwidth(): void;
  /** Caps the down link (server → participant) at `kbit`, whatever the profile says: the link worsens or recovers. */
  setDownRate(kbit: number): void;
  /** Packets the loss rules dropped so far (down, up). */
  dropped(): { down: number; up: number };
  close(): Promise<void>;
}

let counter = 0;
const live = new Set<NetnsConditions>();
process.once('exit', () => {
  for (const c of live) void c.close();
});

const run = (cmd: string, args: string[], input?: string) => execFileSync(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], input }).toString();
const quiet = (cmd: string, args: string[]) => {
  try {
    run(cmd, args);
  } catch {
    // already gone
  }
};

/**
 * UDP ports something listens on at `host`; `process` (a name as `ss -p` shows it, at most 15
 * characters): only that program's. Browsers on the host gather candidates on every interface,
 * so a namespace's host address also carries their sockets: ask for the media server's
 * (`mediasoup-worke`) to find its WebRtcServer port.
 */
export function udpListenPorts(host: string, process?: string): number[] {
  const lines = run('ss', ['-Hnlup', 'src', host]).trim().split('\n').filter(Boolean)
    .filter((l) => process === undefined || l.includes(`(("${process}"`));
  // State Recv-Q Send-Q Local:Port Peer:Port Process
  return lines.map((l) => Number(l.trim().split(/\s+/)[3]?.split(':').pop())).filter((p) => p > 0);
}

/** The media server's UDP ports at `host` (its workers' WebRtcServer ports). */
export const mediaServerUdpPorts = (host: string): number[] => udpListenPorts(host, 'mediasoup-worke');

/** nftables numgen condition dropping `pct` percent, in hundredths for fractional profiles. */
const lossRule = (pct: number) => (pct > 0 ? `meta l4proto udp numgen random mod 10000 < ${Math.round(pct * 100)} counter drop;` : '');

/** tbf burst: at least a few full-size packets, or 10 ms at the rate. */
const tbfArgs = (dev: string, kbit: number, op: 'add' | 'replace' = 'add') =>
  ['qdisc', op, 'dev', dev, 'root', 'tbf', 'rate', `${kbit}kbit`, 'burst', String(Math.max(4500, Math.round(kbit * 1000 / 8 / 100))), 'latency', '300ms'];

const timing = (l: LinkSpec): LinkSpec => ({ delayMs: l.delayMs, jitterMs: l.jitterMs, lossPct: 0 });

/**
 * Applies `profile` to the namespace's traffic with the media server at `media` (its UDP address on
 * the host end). Loss and delay start at once (ICE must connect through the relay from its first
 * packet); the bandwidth caps when capBandwidth() is called.
 */
export async function applyProfileToNetns(ns: NamespaceEnds, profile: NetworkProfile, media: Endpoint): Promise<NetnsConditions> {
  const table = `tt_net_${process.pid % 100_000}_${counter++}`;
  const needsRelay = [profile.up, profile.down].some((l) => l.delayMs > 0 || l.jitterMs > 0);
  let relay: UdpRelay | undefined;
  let capped = false;
  const conditions: NetnsConditions = {
    table,
    relay: undefined,
    capBandwidth() {
      if (capped) return;
      capped = true;
      if (profile.down.rateKbit) run('tc', tbfArgs(ns.hostIf, profile.down.rateKbit));
      if (profile.up.rateKbit) run('ip', ['netns', 'exec', ns.name, 'tc', ...tbfArgs(ns.nsIf, profile.up.rateKbit)]);
    },
    setDownRate(kbit) {
      capped = true;
      run('tc', tbfArgs(ns.hostIf, kbit, 'replace'));
    },
    uncapBandwidth() {
      if (!capped) return;
      capped = false;
      quiet('tc', ['qdisc', 'del', 'dev', ns.hostIf, 'root']);
      quiet('ip', ['netns', 'exec', ns.name, 'tc', 'qdisc', 'del', 'dev', ns.nsIf, 'root']);
    },
    dropped() {
      const text = run('ip', ['netns', 'exec', ns.name, 'nft', 'list', 'table', 'ip', table]);
      const chain = (name: string) => Number(new RegExp(`chain ${name} \\{[^}]*?packets (\\d+)`, 's').exec(text)?.[1] ?? 0);
      return { down: chain('loss_in'), up: chain('loss_out') };
    },
    async close() {
      live.delete(conditions);
      conditions.uncapBandwidth();
      quiet('ip', ['netns', 'exec', ns.name, 'nft', 'delete', 'table', 'ip', table]);
      await relay?.close();
    },
  };
  live.add(conditions);
  try {
    if (needsRelay) {
      relay = await UdpRelay.start({ listen: { host: ns.hostIp }, target: media, up: timing(profile.up), down: timing(profile.down) });
      conditions.relay = relay;
    }
    const nat = relay
      ? `chain relay_nat { type nat hook output priority -100; policy accept; ip daddr ${media.host} udp dport ${media.port} dnat to ${relay.address.host}:${relay.address.port}; }`
      : '';
    run('ip', ['netns', 'exec', ns.name, 'nft', '-f', '-'], `table ip ${table} {
  chain loss_in { type filter hook input priority 0; policy accept; ${lossRule(profile.down.lossPct)} }
  chain loss_out { type filter hook output priority 0; policy accept; ${lossRule(profile.up.lossPct)} }
  ${nat}
}`);
  } catch (err) {
    await conditions.close();
    throw err;
  }
  return conditions;
}
