import { describe, expect, it } from 'vitest';
import { isRequestName, parseRequest, PROTOCOL_VERSION, requestSchemas } from './protocol.ts';

describe('protocol schemas', () => {
  it('knows every request by name and nothing else', () => {
    expect(isRequestName('hand:raise')).toBe(true);
    expect(isRequestName('toString')).toBe(false);
    expect(isRequestName('__proto__')).toBe(false);
    expect(Object.keys(requestSchemas).every((n) => /^[a-z]+:[a-zA-Z]+$/.test(n))).toBe(true);
  });

  it('accepts a well-formed join and rejects another protocol version', () => {
    expect(parseRequest('lecture:join', { protocolVersion: PROTOCOL_VERSION }).ok).toBe(true);
    expect(parseRequest('lecture:join', { protocolVersion: 99 }).ok).toBe(false);
  });

  it('rejects unknown fields, wrong types and missing fields with readable issues', () => {
    const extra = parseRequest('hand:raise', { note: 'hi', admin: true });
    expect(extra.ok).toBe(false);
    const wrong = parseRequest('media:createTransport', { direction: 'sideways' });
    expect(wrong).toMatchObject({ ok: false, issues: [expect.stringContaining('direction')] });
    expect(parseRequest('media:consume', {}).ok).toBe(false);
    expect(parseRequest('media:consume', null).ok).toBe(false);
  });

  it('trims text and bounds its length', () => {
    const ok = parseRequest('chat:send', { to: 'everyone', text: '  hello  ' });
    expect(ok).toEqual({ ok: true, value: { to: 'everyone', text: 'hello' } });
    expect(parseRequest('chat:send', { to: 'everyone', text: '   ' }).ok).toBe(false);
    expect(parseRequest('chat:send', { to: 'everyone', text: 'x'.repeat(501) }).ok).toBe(false);
    expect(parseRequest('hand:raise', { note: 'x'.repeat(141) }).ok).toBe(false);
  });

  it('allows only plain identifiers as ids', () => {
    expect(parseRequest('media:consume', { producerId: 'a1b2-c3' }).ok).toBe(true);
    expect(parseRequest('media:consume', { producerId: '../x' }).ok).toBe(false);
    expect(parseRequest('media:consume', { producerId: 'x'.repeat(65) }).ok).toBe(false);
  });

  it('needs exactly one grant target', () => {
    expect(parseRequest('floor:grant', { entryId: 'h1' }).ok).toBe(true);
    expect(parseRequest('floor:grant', { participantId: 's1', replace: true }).ok).toBe(true);
    expect(parseRequest('floor:grant', {}).ok).toBe(false);
    expect(parseRequest('floor:grant', { entryId: 'h1', participantId: 's1' }).ok).toBe(false);
  });

  it('bounds polls and RTP structures', () => {
    expect(parseRequest('poll:open', { question: 'Q?', options: ['a'], multiple: false }).ok).toBe(false);
    expect(parseRequest('poll:open', { question: 'Q?', options: Array(9).fill('a'), multiple: false }).ok).toBe(false);
    const codecs = Array.from({ length: 17 }, (_, i) => ({ mimeType: 'video/VP8', clockRate: 90000, payloadType: 96 + i }));
    expect(parseRequest('media:produce', { transportId: 't', kind: 'video', source: 'camera', rtpParameters: { codecs } }).ok).toBe(false);
    expect(parseRequest('media:produce', { transportId: 't', kind: 'video', source: 'camera', rtpParameters: { codecs: codecs.slice(0, 1) } }).ok).toBe(true);
    expect(parseRequest('media:connectTransport', { transportId: 't', dtlsParameters: { fingerprints: [] } }).ok).toBe(false);
  });

  it('only accepts the listed reactions', () => {
    expect(parseRequest('reaction:send', { emoji: '👍' }).ok).toBe(true);
    expect(parseRequest('reaction:send', { emoji: '💣' }).ok).toBe(false);
  });
});
