/** CPU time of processes from /proc (Linux), in milliseconds. */
import fs from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

function fields(pid: number | 'self'): string[] {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** utime + stime of a process (0 once it is gone). */
export function cpuMsOf(pid: number): number {
  try {
    const f = fields(pid);
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** CPU of this process's children that have exited and been waited for (cutime + cstime). */
export function childrenCpuMs(): number {
  const f = fields('self');
  return (Number(f[13]) + Number(f[14])) * TICK_MS;
}

/** Pids whose command line contains `needle`. */
export function pidsMatching(needle: string): number[] {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      return fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(needle) ? [Number(d)] : [];
    } catch {
      return [];
    }
  });
}
