/**
 * How busy the whole machine is (% of all cores), from /proc/stat. When the load generator and a
 * local server share a small machine, a full machine explains loss that neither side alone shows.
 */
import fs from 'node:fs';

export class HostCpu {
  #prev: { busy: number; total: number } | null = read();

  /** Busy share since the previous call, 0..100; null where /proc/stat is unavailable. */
  sample(): number | null {
    const now = read();
    const prev = this.#prev;
    this.#prev = now;
    if (!now || !prev || now.total <= prev.total) return null;
    return (100 * (now.busy - prev.busy)) / (now.total - prev.total);
  }
}

/**
 * Datagrams this machine's kernel dropped because a socket's receive buffer was full (all
 * sockets: load-test clients and a local server alike); null where /proc/net/snmp is unavailable.
 */
export function udpReceiveBufferErrors(): number | null {
  try {
    const lines = fs.readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
    const names = lines[0]?.split(/\s+/) ?? [];
    const values = lines[1]?.split(/\s+/) ?? [];
    const i = names.indexOf('RcvbufErrors');
    return i > 0 && values[i] !== undefined ? Number(values[i]) : null;
  } catch {
    return null;
  }
}

function read(): { busy: number; total: number } | null {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0); // idle + iowait
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0); // without guest time, already in user
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}
