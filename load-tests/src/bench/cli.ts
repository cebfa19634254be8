/** What every benchmark script starts with: a timestamped log, its command line, its code revision. */
import { execFileSync } from 'node:child_process';

/** Progress lines on stderr, so stdout carries only the results. */
export function benchLog(name: string): (message: string) => void {
  return (message) => process.stderr.write(`[${name} ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/**
 * Parses the command line, or prints why it is wrong (nothing for --help) and the usage and
 * exits 2. `isUsageError` tells a bad command line from a bug, which is rethrown.
 */
export function parseOrExit<T>(parse: () => T, usage: string, isUsageError: (err: unknown) => boolean): T {
  try {
    return parse();
  } catch (err) {
    // parseArgs itself throws TypeError for an unknown flag or a missing value.
    if (!isUsageError(err) && !(err instanceof TypeError)) throw err;
    if ((err as Error).message) process.stderr.write(`${(err as Error).message}\n`);
    process.stderr.write(`${usage}\n`);
    process.exit(2);
  }
}

/** Which code the numbers belong to: the commit, plus how many files under `paths` changed on top of it. */
export function gitRevision(dir: string, paths: string[]): string {
  try {
    const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = git('status', '--porcelain', '--', ...paths).split('\n').filter(Boolean).length;
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ` + ${dirty} uncommitted change(s)` : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

type Finish = (aborted: string | null, exitCode: number) => Promise<never>;

/**
 * Runs a benchmark's `main` so that it always ends through `finish` (which writes what was
 * measured and tears everything down): on success, on an error, on the global deadline, on Ctrl-C
 * or SIGTERM, and on a stray rejection. Returns the deadline timer, for `finish` to clear.
 */
export function runBench(main: () => Promise<void>, timeoutS: number, log: (m: string) => void, finish: Finish): NodeJS.Timeout {
  const deadline = setTimeout(() => {
    log(`global timeout of ${timeoutS} s reached; aborting`);
    void finish(`global timeout ${timeoutS} s`, 3);
  }, timeoutS * 1000);
  process.on('SIGINT', () => void finish('SIGINT', 130));
  process.on('SIGTERM', () => void finish('SIGTERM', 143));
  process.on('unhandledRejection', (err) => {
    log(`unhandled rejection: ${(err as Error)?.stack ?? String(err)}`);
    void finish(`unhandled rejection: ${(err as Error)?.message ?? String(err)}`, 1);
  });
  main().then(
    () => finish(null, 0),
    (err: unknown) => {
      log(`failed: ${(err as Error)?.stack ?? String(err)}`);
      return finish(`error: ${(err as Error)?.message ?? String(err)}`, 1);
    },
  );
  return deadline;
}
