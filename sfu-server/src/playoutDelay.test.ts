import { describe, expect, it } from 'vitest';
import type { types } from 'mediasoup';
import { PLAYOUT_DELAY_ID, PLAYOUT_DELAY_URI, withPlayout } from './playoutDelay.ts';

const params: types.RtpParameters = {
  codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }],
  headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 1 }],
};

describe('withPlayout', () => {
  it('maps the extension for immediate video playout', () => {
    const out = withPlayout(params, 'video', 'immediate');
    expect(out.headerExtensions).toContainEqual({ uri: PLAYOUT_DELAY_URI, id: PLAYOUT_DELAY_ID, encrypt: false, parameters: {} });
    expect(params.headerExtensions).toHaveLength(1); // the input is left alone
  });

  it('leaves smooth playout and audio as they are', () => {
    expect(withPlayout(params, 'video', 'smooth')).toBe(params);
    expect(withPlayout(params, 'audio', 'immediate')).toBe(params);
  });

  it('never maps the id twice', () => {
    const taken = { ...params, headerExtensions: [{ uri: 'urn:x', id: PLAYOUT_DELAY_ID }] };
    expect(withPlayout(taken, 'video', 'immediate')).toBe(taken);
  });
});
