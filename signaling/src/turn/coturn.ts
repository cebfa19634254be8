/**
 * Starts the project's coturn (scripts/turn.sh) as a child process: for `npm start -- --turn`
 * and for tests. Ready once its TCP listener accepts connections; stopped with the parent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../scripts/turn.sh');

export interface Coturn {
  process: ChildProcess;
  /** The last lines coturn printed (for error messages and test failures). */
  output(): string;
  stop(): Promise<void>;
}

/** `env` holds the TURN_* variables scripts/turn.sh reads; `host` is where to check it listens. */
export async function startCoturn(env: NodeJS.ProcessEnv, host: string, timeoutMs = 15_000): Promise<Coturn> {
  const child = spawn('bash', [SCRIPT], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 200));
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  const coturn: Coturn = {
    process: child,
    output: () => lines.join('\n'),
    async stop() {
      if (!exited) child.kill('SIGTERM');
      await Promise.race([exit, new Promise((r) => setTimeout(r, 5_000))]);
      if (!exited) child.kill('SIGKILL');
    },
  };
  const port = Number(env.TURN_PORT ?? 3478);
  const deadline = Date.now() + timeoutMs;
  while (!(await accepts(host, port))) {
    if (exited || Date.now() > deadline) {
      await coturn.stop();
      throw new Error(`coturn did not start on ${host}:${port}:\n${coturn.output()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return coturn;
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1_000);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}
