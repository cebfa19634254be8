/**
 * Test and bench only: a real RTSP server standing in for a classroom's IP camera (GStreamer's RTSP
 * server, see rtspCamera.py): live H.264 + AAC at rtsp://127.0.0.1:PORT/camera. stop() is the camera
 * going away (the process is killed, its connections drop); start() brings it back on the same port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

// Debian's interpreter, not whatever python3 comes first on PATH: python3-gi is installed for it.
const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(import.meta.dirname, 'rtspCamera.py');
const READY_MS = 15_000;

export interface RtspCamera {
  readonly url: string;
  readonly port: number;
  /** The serving process, for CPU readings. */
  readonly pid: number | undefined;
  /** Kills the server: every client's connection drops, new ones are refused. */
  stop(): Promise<void>;
  /** Serves again on the same port. */
  start(): Promise<void>;
}

export interface RtspCameraOptions { width?: number; height?: number }

/** Starts a camera on a free port of 127.0.0.1. */
export async function startRtspCamera(opts: RtspCameraOptions = {}): Promise<RtspCamera> {
  const size = [String(opts.width ?? 640), String(opts.height ?? 360)];
  let current: ChildProcess | undefined;
  const first = await serve('0', size);
  current = first.child;
  const port = first.port;
  return {
    url: `rtsp://127.0.0.1:${port}/camera`,
    port,
    get pid() { return current?.pid; },
    async stop() {
      const child = current;
      current = undefined;
      if (child) await kill(child);
    },
    async start() {
      if (current) return;
      current = (await serve(String(port), size)).child;
    },
  };
}

/** Spawns the server and resolves once it accepts connections. */
function serve(port: string, size: string[]): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT, port, ...size], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the RTSP server did not start within ${READY_MS} ms: ${stderr.trim()}`));
    }, READY_MS);
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-2000); });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const bound = /listening (\d+)/.exec(chunk);
      if (!bound) return;
      clearTimeout(timer);
      resolve({ child, port: Number(bound[1]) });
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${PYTHON} (scripts/setup.sh --tests installs it): ${err.message}`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the RTSP server exited (${code}): ${stderr.trim()}`)); // no-op once resolved
    });
  });
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
