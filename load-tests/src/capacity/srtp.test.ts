import { describe, expect, it } from 'vitest';
import { randomSrtpParameters, SRTP_SUITES } from './srtp.ts';

describe('randomSrtpParameters', () => {
  it('gives each suite a master key + salt of the length mediasoup checks', () => {
    const bytes = (suite: (typeof SRTP_SUITES)[number]) => Buffer.from(randomSrtpParameters(suite).keyBase64, 'base64').length;
    expect(bytes('AES_CM_128_HMAC_SHA1_80')).toBe(30);
    expect(bytes('AEAD_AES_128_GCM')).toBe(28);
    expect(bytes('AEAD_AES_256_GCM')).toBe(44);
    expect(randomSrtpParameters('AEAD_AES_256_GCM').keyBase64).not.toBe(randomSrtpParameters('AEAD_AES_256_GCM').keyBase64);
  });
});
