import { describe, expect, it } from 'vitest';
import { Pacer } from './pacer.ts';

const packet = (n: number) => Buffer.alloc(1000, n);

describe('Pacer', () => {
  it('spreads a burst at its rate, a few ms of credit first, in order', () => {
    const sent: number[] = [];
    const p = new Pacer(500, (b) => sent.push(b[0]!), 4); // 500 B/ms, 2000 B of burst
    for (let i = 0; i < 10; i++) p.enqueue(packet(i));
    p.drain(0);
    expect(sent).toEqual([0, 1]); // the burst credit
    p.drain(2);
    expect(sent).toEqual([0, 1, 2]); // 1000 B per 2 ms
    p.drain(10);
    expect(sent).toEqual([0, 1, 2, 3, 4]); // credit is capped at 4 ms worth
    expect(p.queued).toBe(5);
  });

  it('lets a packet larger than the credit go, and pays for it afterwards', () => {
    const sent: number[] = [];
    const p = new Pacer(100, (b) => sent.push(b.length), 5); // 500 B of credit
    p.enqueue(Buffer.alloc(1200));
    p.enqueue(Buffer.alloc(100));
    p.drain(0);
    expect(sent).toEqual([1200]); // budget now -700
    p.drain(7);
    expect(sent).toEqual([1200]); // back to 0: nothing yet
    p.drain(8);
    expect(sent).toEqual([1200, 100]);
  });
});
