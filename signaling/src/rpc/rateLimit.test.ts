import { describe, expect, it } from 'vitest';
import { TokenBucket } from './rateLimit.ts';

describe('TokenBucket', () => {
  it('allows a burst, then refills at the given rate', () => {
    const bucket = new TokenBucket(10, 20, 0);
    let allowed = 0;
    for (let i = 0; i < 30; i++) if (bucket.take(0)) allowed++;
    expect(allowed).toBe(20);
    expect(bucket.take(50)).toBe(false); // half a token after 50 ms
    expect(bucket.take(100)).toBe(true); // one token after 100 ms
  });
});
