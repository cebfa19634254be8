/** The parent's handle on one client process: fork it, talk to it, wait for its answers, kill it. */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../node/startNode.ts';
import type { ParentMessage, WorkerMessage, WorkerTick } from './workerProtocol.ts';

const WORKER_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.ts');

type Final = Extract<WorkerMessage, { type: 'final' }>;

export class WorkerHandle {
  lastTick: WorkerTick | undefined;
  final: Final | undefined;
  exited = false;
  readonly #child: ChildProcess;
  readonly #waiters = new Set<{ match: (m: WorkerMessage) => boolean; resolve: (m: WorkerMessage) => void }>();
  readonly #log: number;

  constructor(readonly index: number, logFile: string, private readonly onMessage: (w: WorkerHandle, m: WorkerMessage) => void) {
    this.#log = fs.openSync(logFile, 'a');
    // tsx by name from the repository root, whatever the parent was started with (vitest, node).
    this.#child = fork(WORKER_SCRIPT, [], {
      cwd: REPO_ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', this.#log, this.#log, 'ipc'],
      serialization: 'advanced',
    });
    this.#child.on('message', (m: WorkerMessage) => this.#receive(m));
    this.#child.once('exit', (code, signal) => {
      this.exited = true;
      fs.closeSync(this.#log);
      if (!this.final) this.onMessage(this, { type: 'error', message: `client process ${index} exited (${signal ?? code}) before its final report` });
      for (const w of [...this.#waiters]) w.resolve({ type: 'error', message: `client process ${index} exited` });
      this.#waiters.clear();
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  send(msg: ParentMessage): void {
    if (!this.exited && this.#child.connected) this.#child.send(msg);
  }

  /**
   * Resolves with the next message matching. The process exiting rejects; so does an 'error' it
   * reports, unless `tolerateErrors` (waiting for the final report, a stray error must not lose it).
   */
  waitFor<T extends WorkerMessage['type']>(
    type: T, timeoutMs: number, match: (m: Extract<WorkerMessage, { type: T }>) => boolean = () => true, tolerateErrors = false,
  ): Promise<Extract<WorkerMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      if (this.exited) return reject(new Error(`client process ${this.index} has exited`));
      const waiter = {
        match: (m: WorkerMessage) => (m.type === 'error' && !tolerateErrors) || (m.type === type && match(m as Extract<WorkerMessage, { type: T }>)),
        resolve: (m: WorkerMessage) => {
          clearTimeout(timer);
          this.#waiters.delete(waiter);
          if (m.type === 'error') reject(new Error(m.message));
          else resolve(m as Extract<WorkerMessage, { type: T }>);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`client process ${this.index}: no ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  kill(): void {
    if (!this.exited) this.#child.kill('SIGKILL');
  }

  #receive(m: WorkerMessage): void {
    if (m.type === 'tick') this.lastTick = m.tick;
    if (m.type === 'final') this.final = m;
    this.onMessage(this, m);
    for (const w of [...this.#waiters]) if (w.match(m)) w.resolve(m);
  }
}
