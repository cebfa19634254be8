import { Device, detectDevice } from 'mediasoup-client';

/**
 * A mediasoup Device for this browser. Some automation builds of Chromium report neither a
 * Chromium brand nor a plain `Chrome/` token, so detection fails although the engine is a modern
 * Chrome; there we name the handler ourselves.
 */
export function createDevice(): Device {
  if (detectDevice()) return new Device();
  if (/Chrom(e|ium)\//.test(navigator.userAgent)) return new Device({ handlerName: 'Chrome111' });
  return new Device(); // throws UnsupportedError with mediasoup-client's own message
}
