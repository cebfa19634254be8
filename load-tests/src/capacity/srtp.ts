/**
 * SRTP keys for the receivers' PlainTransports. Nobody decrypts what the worker sends, so any
 * valid key will do: what matters is that the worker really encrypts (and authenticates) every
 * outgoing packet, as it does for a WebRTC client after DTLS.
 */
import crypto from 'node:crypto';
import type { types as ms } from 'mediasoup';

export type SrtpSuite = ms.SrtpCryptoSuite;

/** Master key + salt length per suite (RFC 3711 §8.2, RFC 7714 §12). */
const KEY_BYTES: Record<SrtpSuite, number> = {
  AES_CM_128_HMAC_SHA1_80: 30,
  AES_CM_128_HMAC_SHA1_32: 30,
  AEAD_AES_128_GCM: 28,
  AEAD_AES_256_GCM: 44,
};

export const SRTP_SUITES = Object.keys(KEY_BYTES) as SrtpSuite[];

export function randomSrtpParameters(cryptoSuite: SrtpSuite): ms.SrtpParameters {
  return { cryptoSuite, keyBase64: crypto.randomBytes(KEY_BYTES[cryptoSuite]).toString('base64') };
}
