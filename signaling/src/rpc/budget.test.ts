import { describe, expect, it } from 'vitest';
import { RequestBudget } from './budget.ts';

describe('RequestBudget', () => {
  it('limits fan-out requests below the overall rate, per kind', () => {
    const budget = new RequestBudget(50, { 'chat:send': { perSecond: 1, burst: 3 } }, { perSecond: 5, burst: 50 }, 0);
    const chats = Array.from({ length: 10 }, () => budget.admitFanout('chat:send', 0).ok);
    expect(chats.filter(Boolean)).toHaveLength(3);
    // Other requests still pass, and a second later there is one more chat.
    expect(budget.admitFanout('hand:raise', 0).ok).toBe(true);
    expect(budget.admitFanout('chat:send', 1_000).ok).toBe(true);
    expect(budget.admitFanout('chat:send', 1_000).ok).toBe(false);
  });

  it('drops a connection that keeps being refused, but not one that strays over once', () => {
    const budget = new RequestBudget(10, {}, { perSecond: 5, burst: 20 }, 0);
    let refused = 0;
    let dropAfter: number | undefined;
    for (let i = 0; i < 200 && dropAfter === undefined; i++) {
      const a = budget.admit(0);
      if (!a.ok) {
        refused++;
        expect(a.error.code).toBe('RATE_LIMITED');
        if (a.drop) dropAfter = refused;
      }
    }
    expect(dropAfter).toBe(21); // the burst of 20 strikes, then the next refusal drops it
    const polite = new RequestBudget(10, {}, { perSecond: 5, burst: 20 }, 0);
    for (let i = 0; i < 25; i++) polite.admit(0); // 20 pass, 5 refused
    expect(polite.admit(0)).toMatchObject({ ok: false, drop: false });
    expect(polite.admit(1_000).ok).toBe(true);
  });

  it('does not treat inherited names as budgets', () => {
    const budget = new RequestBudget(10, {}, undefined, 0);
    expect(budget.admitFanout('constructor', 0).ok).toBe(true);
    expect(budget.admitFanout('__proto__', 0).ok).toBe(true);
  });
});

describe('ConnectionGate', () => {
  it('lets a participant reconnect a few times, refuses a reconnect loop, and benches a flooder', async () => {
    const { ConnectionGate, FLOOD_PENALTY_MS, RECONNECTS } = await import('./connectionGate.ts');
    const gate = new ConnectionGate();
    const admitted = Array.from({ length: 20 }, () => gate.admit('s1', 0) === null).filter(Boolean).length;
    expect(admitted).toBe(RECONNECTS.burst);
    expect(gate.admit('s2', 0)).toBeNull(); // someone else is not affected
    expect(gate.admit('s1', 3_000)).toBeNull(); // one more after a while
    gate.penalise('s2', 0);
    expect(gate.admit('s2', 1_000)).toMatch(/flooding/);
    expect(gate.admit('s2', FLOOD_PENALTY_MS + 1)).toBeNull();
  });
});
