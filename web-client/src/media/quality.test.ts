import { describe, expect, it } from 'vitest';
import { layerForWidth } from './layers.ts';
import { lossBetween, rateLink, worst } from './quality.ts';

describe('link quality', () => {
  it('measures loss over the interval, not since the start', () => {
    expect(lossBetween({ packetsReceived: 1000, packetsLost: 500 }, { packetsReceived: 1100, packetsLost: 500 })).toBe(0);
    expect(lossBetween({ packetsReceived: 0, packetsLost: 0 }, { packetsReceived: 90, packetsLost: 10 })).toBeCloseTo(0.1);
    expect(lossBetween({ packetsReceived: 50, packetsLost: 0 }, { packetsReceived: 50, packetsLost: 0 })).toBeNull();
    expect(lossBetween({ packetsReceived: 500, packetsLost: 0 }, { packetsReceived: 20, packetsLost: 0 })).toBeNull();
  });

  it('rates loss and round trip', () => {
    expect(rateLink(null, null)).toBe('unknown');
    expect(rateLink(0, 20)).toBe('good');
    expect(rateLink(0.03, 20)).toBe('fair');
    expect(rateLink(0, 200)).toBe('fair');
    expect(rateLink(0.1, 20)).toBe('poor');
    expect(rateLink(null, 500)).toBe('poor');
  });

  it('keeps the worst reading', () => {
    expect(worst(['good', 'unknown', 'fair'])).toBe('fair');
    expect(worst(['unknown'])).toBe('unknown');
    expect(worst([])).toBe('unknown');
  });
});

describe('layer for a rendered width', () => {
  it('gives small tiles the low layer', () => {
    expect(layerForWidth(240)).toBe(0);
    expect(layerForWidth(640)).toBe(1);
    expect(layerForWidth(1280)).toBe(2);
  });
});
