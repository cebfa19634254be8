/**
 * What the event log keeps of the state machine's effects: who got and lost the floor, hands
 * raised and lowered, polls as they opened and with their results at close, public chat and
 * reaction counts. Private chat (to the lecturer) is never kept. Pure, so it is tested alone.
 */
import { ONLINE_SITE, type HandEntry } from '@tongtang/shared';
import { pollResults, type ClassState, type Effect } from '../lecture/machine/machine.ts';

export interface LogEvent {
  type: string;
  [field: string]: unknown;
}

export function eventsOf(effects: readonly Effect[], state: ClassState, handsBefore: readonly HandEntry[]): LogEvent[] {
  const out: LogEvent[] = [];
  for (const effect of effects) {
    switch (effect.type) {
      case 'handsChanged': {
        const now = new Set(state.hands.map((h) => h.id));
        const before = new Set(handsBefore.map((h) => h.id));
        for (const h of state.hands) if (!before.has(h.id)) out.push({ type: 'hand.raised', ...who(h), entryId: h.id, kind: h.kind, note: h.note });
        for (const h of handsBefore) if (!now.has(h.id)) out.push({ type: 'hand.lowered', ...who(h), entryId: h.id });
        break;
      }
      case 'floorChanged':
        for (const id of effect.granted) {
          const s = state.speakers.find((x) => x.participantId === id);
          if (s) out.push({ type: 'floor.granted', ...who(s), role: s.role });
        }
        for (const id of effect.revoked) {
          const r = [...state.floorHistory].reverse().find((x) => x.participantId === id);
          out.push({ type: 'floor.revoked', participantId: id, displayName: r?.displayName ?? null, site: r ? siteOf(r.classroomId) : null });
        }
        break;
      case 'speakerMuted':
        out.push({ type: 'floor.muted', participantId: effect.participantId, muted: effect.muted });
        break;
      case 'speakerCameraStopped':
        out.push({ type: 'floor.cameraStopped', participantId: effect.participantId });
        break;
      case 'chatPosted': {
        const m = effect.message;
        if (m.to === 'everyone') out.push({ type: 'chat', id: m.id, from: m.fromName, fromId: m.fromId, role: m.fromRole, text: m.text });
        break;
      }
      case 'reactionSent':
        out.push({ type: 'reaction', site: effect.site, emoji: effect.emoji, counts: state.reactions[effect.site] ?? {} });
        break;
      case 'pollChanged': {
        const poll = state.polls.find((p) => p.id === effect.pollId);
        if (!poll) break;
        const answered = Object.keys(poll.answers).length + Object.keys(poll.siteCounts).length;
        if (poll.state === 'open' && answered === 0) {
          out.push({ type: 'poll.opened', pollId: poll.id, question: poll.question, options: poll.options, multiple: poll.multiple });
        } else if (poll.state === 'closed') {
          out.push({ type: 'poll.closed', pollId: poll.id, question: poll.question, options: poll.options, results: pollResults(poll) });
        }
        break;
      }
      case 'attendanceChanged':
        break;
    }
  }
  return out;
}

function who(p: { participantId: string; displayName: string; classroomId: string | null }): Record<string, unknown> {
  return { participantId: p.participantId, displayName: p.displayName, site: siteOf(p.classroomId) };
}

function siteOf(classroomId: string | null): string {
  return classroomId ?? ONLINE_SITE;
}
