import { describe, expect, it } from 'vitest';
import type { ChatMessage, PollView } from '@tongtang/shared';
import type { JoinResponse } from '@tongtang/shared';
import type { SignalClient } from '../signal/SignalClient.ts';
import { Activity } from './Activity.ts';

/** Just enough of SignalClient: broadcasts we can fire, requests answered from a table. */
function fakeSignal(answers: Record<string, unknown>) {
  const handlers = new Map<string, (payload: unknown) => void>();
  const signal = {
    on: (event: string, handler: (payload: unknown) => void) => { handlers.set(event, handler); return () => {}; },
    request: async (name: string) => answers[name],
  };
  return { signal: signal as unknown as SignalClient, fire: (event: string, payload: unknown) => handlers.get(event)?.(payload) };
}

const message = (id: string, text: string): ChatMessage => ({ id, fromId: 's1', fromName: 'Li', fromRole: 'student', to: 'everyone', text, sentAt: 1 });
const poll = (id: string, counts: number[], state: 'open' | 'closed' = 'open'): PollView => ({
  id, question: 'q', options: ['a', 'b'], multiple: false, state, openedAt: 1, closedAt: null,
  results: { perOption: counts, perSite: {}, respondents: 1 }, mine: null,
});

describe('Activity', () => {
  it('shows a sent chat message once although it comes back in the ack and the broadcast', async () => {
    const { signal, fire } = fakeSignal({ 'chat:send': message('c1', 'hello') });
    const activity = new Activity(signal);
    await activity.sendChat('everyone', 'hello');
    fire('chat:posted', message('c1', 'hello'));
    fire('chat:posted', message('c2', 'again'));
    expect(activity.store.getState().chat.map((m) => m.id)).toEqual(['c1', 'c2']);
  });

  it('replaces a poll by id as its results change', () => {
    const { signal, fire } = fakeSignal({});
    const activity = new Activity(signal);
    fire('poll:updated', poll('p1', [0, 0]));
    fire('poll:updated', poll('p1', [2, 5]));
    fire('poll:updated', poll('p2', [0, 0]));
    const polls = activity.store.getState().polls;
    expect(polls.map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(polls[0]!.results.perOption).toEqual([2, 5]);
  });

  it('starts over from the join snapshot and keeps recent reactions for the feed', () => {
    const { signal, fire } = fakeSignal({});
    const activity = new Activity(signal);
    fire('reaction:sent', { emoji: '👍', site: 'online', displayName: 'Li', counts: { online: { '👍': 1 } } });
    expect(activity.store.getState().recentReactions).toHaveLength(1);
    activity.reset({ chat: [message('c9', 'x')], polls: [], reactions: {} } as unknown as JoinResponse);
    expect(activity.store.getState()).toMatchObject({ chat: [{ id: 'c9' }], recentReactions: [] });
  });
});
