/**
 * Structured logs, a child logger per lecture and participant carrying their ids. JSON lines
 * when the output is piped (log collectors read them); readable lines on a terminal, where a
 * person starts the server. LOG_FORMAT=json or LOG_FORMAT=pretty overrides the guess.
 */
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };
export type LogFormat = 'json' | 'pretty';

export function logFormat(isTTY: boolean, env: NodeJS.ProcessEnv = process.env): LogFormat {
  if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty') return env.LOG_FORMAT;
  return isTTY ? 'pretty' : 'json';
}

/** `destination` (tests) defaults to standard output. */
export function createLogger(
  level: string,
  format: LogFormat = logFormat(Boolean(process.stdout.isTTY)),
  destination?: NodeJS.WritableStream,
): Logger {
  const options = { level, base: { service: 'tongtang' } };
  if (format === 'json') return destination ? pino(options, destination) : pino(options);
  // One line per event, time of day first; pid/hostname/service say nothing to the person reading.
  return pino(options, pretty({
    destination: destination ?? 1,
    sync: true,
    colorize: destination === undefined && Boolean(process.stdout.isTTY),
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service',
    singleLine: true,
  }));
}
