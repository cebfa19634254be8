/** Structured logs: JSON lines, a child logger per lecture and participant carrying their ids. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'tongtang' } });
}
