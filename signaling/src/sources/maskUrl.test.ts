import { describe, expect, it } from 'vitest';
import { maskUrl } from './maskUrl.ts';

describe('maskUrl', () => {
  it('hides an RTSP camera password and keeps the rest', () => {
    expect(maskUrl('rtsp://admin:s3cret@10.2.3.4:554/Streaming/Channels/101')).toBe('rtsp://admin:***@10.2.3.4:554/Streaming/Channels/101');
  });
  it('leaves a URL without credentials as it is', () => {
    expect(maskUrl('rtsp://10.2.3.4/live')).toBe('rtsp://10.2.3.4/live');
  });
});
