import { describe, expect, it } from 'vitest';
import { applyToClass, initialClassState, type Actor, type ClassState, type ClassCommand } from '../lecture/machine/machine.ts';
import { eventsOf, type LogEvent } from './effectEvents.ts';

const L: Actor = { participantId: 'L', role: 'lecturer', displayName: 'Prof. Wang', classroomId: null };
const S: Actor = { participantId: 'S', role: 'student', displayName: 'Li Hua', classroomId: null };
const R: Actor = { participantId: 'R', role: 'classroom', displayName: 'Kashgar 101', classroomId: 'kashgar' };
const A: Actor = { participantId: 'A', role: 'assistant', displayName: 'Aygul', classroomId: 'kashgar' };

/** Runs commands through the real state machine and collects what the log would keep. */
function logOf(commands: ClassCommand[]): LogEvent[] {
  let state: ClassState = initialClassState(2);
  const out: LogEvent[] = [];
  for (const cmd of commands) {
    const before = state.hands;
    const result = applyToClass(state, cmd);
    state = result.state;
    out.push(...eventsOf(result.effects, state, before));
  }
  return out;
}

describe('the event log of a lecture', () => {
  it('keeps hands and floor turns with who and which site', () => {
    const log = logOf([
      { type: 'hand.raise', actor: S, note: 'why?', now: 1 },
      { type: 'hand.raise', actor: A, now: 2, classroomEndpointId: 'R', endpointName: 'Kashgar 101' },
      { type: 'hand.lower', actor: S },
      { type: 'floor.grant', actor: L, target: { id: 'R', role: 'classroom', displayName: 'Kashgar 101', classroomId: 'kashgar' }, now: 3 },
      { type: 'floor.mute', actor: L, participantId: 'R', muted: true },
      { type: 'floor.revoke', actor: L, participantId: 'R', now: 4 },
    ]);
    // The grant takes the classroom's hand out of the queue: that shows as its hand lowered.
    expect(log.map((e) => e.type)).toEqual(['hand.raised', 'hand.raised', 'hand.lowered', 'floor.granted', 'hand.lowered', 'floor.muted', 'floor.revoked']);
    expect(log[0]).toMatchObject({ participantId: 'S', displayName: 'Li Hua', site: 'online', note: 'why?' });
    expect(log[1]).toMatchObject({ participantId: 'R', site: 'kashgar', kind: 'classroom' });
    expect(log[3]).toMatchObject({ participantId: 'R', displayName: 'Kashgar 101', site: 'kashgar', role: 'classroom' });
    expect(log[4]).toMatchObject({ participantId: 'R', site: 'kashgar' });
    expect(log[6]).toMatchObject({ participantId: 'R', displayName: 'Kashgar 101', site: 'kashgar' });
  });

  it('keeps public chat and never private chat', () => {
    const log = logOf([
      { type: 'chat.send', actor: S, to: 'everyone', text: 'hello all', now: 1 },
      { type: 'chat.send', actor: S, to: 'lecturer', text: 'secret', now: 2 },
    ]);
    expect(log).toEqual([expect.objectContaining({ type: 'chat', text: 'hello all', from: 'Li Hua' })]);
    expect(JSON.stringify(log)).not.toContain('secret');
  });

  it('keeps reactions as running counts per site and polls as opened and with results at close', () => {
    const log = logOf([
      { type: 'reaction.send', actor: S, emoji: '👍' },
      { type: 'reaction.send', actor: S, emoji: '👍' },
      { type: 'reaction.send', actor: R, emoji: '❓' },
      { type: 'poll.open', actor: L, question: 'Noble gas?', options: ['N2', 'Ar'], multiple: false, now: 5 },
      { type: 'poll.answer', actor: S, pollId: 'p1', choices: [1] },
      { type: 'poll.answerSite', actor: A, pollId: 'p1', counts: [3, 20] },
      { type: 'poll.close', actor: L, pollId: 'p1', now: 6 },
    ]);
    expect(log.map((e) => e.type)).toEqual(['reaction', 'reaction', 'reaction', 'poll.opened', 'poll.closed']);
    expect(log[1]).toMatchObject({ site: 'online', counts: { '👍': 2 } });
    expect(log[2]).toMatchObject({ site: 'kashgar', counts: { '❓': 1 } });
    expect(log[3]).toMatchObject({ question: 'Noble gas?', options: ['N2', 'Ar'] });
    expect(log[4]).toMatchObject({ results: { perOption: [3, 21], respondents: 2 } });
  });
});
