import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, logFormat } from './logger.ts';

function capture(format: 'json' | 'pretty') {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => { text += chunk.toString(); });
  return { log: createLogger('info', format, out), text: () => text };
}

describe('logs', () => {
  it('are readable lines on a terminal and JSON when piped, unless LOG_FORMAT says otherwise', () => {
    expect(logFormat(true, {})).toBe('pretty');
    expect(logFormat(false, {})).toBe('json');
    expect(logFormat(true, { LOG_FORMAT: 'json' })).toBe('json');
    expect(logFormat(false, { LOG_FORMAT: 'pretty' })).toBe('pretty');
  });

  it('print one readable line per event for a person', () => {
    const { log, text } = capture('pretty');
    log.child({ nodeId: 'n1' }).info({ url: 'http://127.0.0.1:3000' }, 'tongtang listening');
    const lines = text().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: tongtang listening \{"nodeId":"n1","url":"http:\/\/127\.0\.0\.1:3000"\}$/);
  });

  it('write one JSON object per line for a collector', () => {
    const { log, text } = capture('json');
    log.child({ component: 'sfu' }).info({ slot: 0 }, 'mediasoup worker started');
    expect(JSON.parse(text())).toMatchObject({ level: 30, service: 'tongtang', component: 'sfu', slot: 0, msg: 'mediasoup worker started' });
  });
});
