/**
 * The bench's helper processes (sender, receiver), each with its own event loop so neither the
 * sender's pacing nor the receiver's reading waits behind the other or behind mediasoup's channel.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { ChildMessage, Request } from './protocol.ts';

export interface Child<Ready, Reply> {
  readonly pid: number;
  readonly ready: Ready;
  /** The child's answer to a stats request. */
  stats(): Promise<Reply>;
  stop(): void;
}

/** Starts `script` with `setup` as its only argument and resolves once it says it is ready. */
export async function startChild<Ready, Reply>(script: string, setup: unknown, timeoutMs = 30_000): Promise<Child<Ready, Reply>> {
  const proc: ChildProcess = fork(script, [JSON.stringify(setup)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (reply: Reply) => void; reject: (err: Error) => void }>();
  let nextId = 1;
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} not ready after ${timeoutMs} ms`)), timeoutMs);
    proc.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    proc.on('message', (msg: ChildMessage<Ready, Reply>) => {
      if (msg.type === 'ready') {
        clearTimeout(timer);
        resolve(msg.data);
      } else {
        pending.get(msg.id)?.resolve(msg.data);
        pending.delete(msg.id);
      }
    });
  }).catch((err: unknown) => {
    proc.kill('SIGKILL');
    throw err;
  });
  proc.on('exit', (code, signal) => {
    for (const p of pending.values()) p.reject(new Error(`${script} exited (${code ?? signal})`));
    pending.clear();
  });
  return {
    pid: proc.pid!,
    ready,
    stats: () =>
      new Promise<Reply>((resolve, reject) => {
        if (!proc.connected) return reject(new Error(`${script} is gone`));
        const id = nextId++;
        pending.set(id, { resolve, reject });
        proc.send({ id, type: 'stats' } satisfies Request);
      }),
    stop: () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    },
  };
}

/** Child side: announce readiness, answer stats requests, and exit with the parent. */
export function serveParent<Ready, Reply>(ready: Ready, stats: () => Reply): void {
  process.on('message', (req: Request) => {
    process.send?.({ type: 'reply', id: req.id, data: stats() } satisfies ChildMessage<Ready, Reply>);
  });
  // The parent died or tore us down: nothing else would ever stop this process.
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready', data: ready } satisfies ChildMessage<Ready, Reply>);
}
