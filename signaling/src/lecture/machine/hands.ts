/** The raised-hand queue: who wants the floor, in the order they asked. */
import type { HandEntry, HandKind, HandsView } from '@tongtang/shared';
import {
  classroomOf, fail, insertOrdered, takeId, type Actor, type Applied, type ClassState, type CommandOf,
} from './state.ts';

export function raiseHand(state: ClassState, cmd: CommandOf<'hand.raise'>): Applied {
  const { actor } = cmd;
  let participantId: string;
  let kind: HandKind;
  let classroomId: string | null;
  let displayName = actor.displayName;
  switch (actor.role) {
    case 'student':
      participantId = actor.participantId;
      kind = 'student';
      classroomId = null;
      break;
    case 'classroom':
      participantId = actor.participantId;
      kind = 'classroom';
      classroomId = classroomOf(actor);
      break;
    case 'assistant':
      // The floor goes to the room's endpoint (its microphone and camera), not to the assistant.
      classroomId = classroomOf(actor);
      if (cmd.classroomEndpointId === undefined) fail('CONFLICT', "your classroom's endpoint is not connected");
      participantId = cmd.classroomEndpointId;
      kind = 'classroom';
      displayName = cmd.endpointName ?? actor.displayName;
      break;
    default:
      fail('FORBIDDEN', `a ${actor.role} cannot raise a hand`);
  }
  if (state.speakers.some((s) => s.participantId === participantId)) {
    fail('CONFLICT', kind === 'classroom' ? 'the classroom is already on the floor' : 'you are already on the floor');
  }
  if (state.hands.some((h) => h.participantId === participantId)) fail('CONFLICT', 'hand already raised');

  const { id, nextId } = takeId(state, 'h');
  const note = cmd.note?.trim();
  const entry: HandEntry = {
    id,
    participantId,
    kind,
    classroomId,
    displayName,
    note: note ? note : null,
    raisedAt: cmd.now,
    raisedBy: actor.participantId,
  };
  return {
    state: { ...state, hands: insertOrdered(state.hands, entry, (h) => h.raisedAt), nextId },
    effects: [{ type: 'handsChanged' }],
  };
}

export function lowerHand(state: ClassState, cmd: CommandOf<'hand.lower'>): Applied {
  const { actor, entryId } = cmd;
  if (actor.role === 'observer') fail('FORBIDDEN', 'an observer cannot lower hands');
  let entry: HandEntry | undefined;
  if (entryId === undefined) {
    if (actor.role === 'lecturer') fail('BAD_REQUEST', 'name the hand entry to lower');
    entry = ownEntry(state.hands, actor);
    if (!entry) fail('NOT_FOUND', 'you have no raised hand');
  } else {
    entry = state.hands.find((h) => h.id === entryId);
    if (!entry) fail('NOT_FOUND', `no hand entry ${entryId}`);
    assertMayLower(actor, entry);
  }
  const lowered = entry;
  return {
    state: { ...state, hands: state.hands.filter((h) => h !== lowered) },
    effects: [{ type: 'handsChanged' }],
  };
}

export function clearHands(state: ClassState, cmd: CommandOf<'hand.clear'>): Applied {
  if (cmd.actor.role !== 'lecturer') fail('FORBIDDEN', 'only the lecturer can clear the hand queue');
  if (state.hands.length === 0) return { state, effects: [] };
  return { state: { ...state, hands: [] }, effects: [{ type: 'handsChanged' }] };
}

/** Students see only their own entry and place; everyone else sees the whole queue. */
export function handsView(state: ClassState, viewer: Actor): HandsView {
  const mine = ownEntry(state.hands, viewer);
  return {
    entries: viewer.role === 'student' ? (mine ? [mine] : []) : [...state.hands],
    total: state.hands.length,
    myPosition: mine ? state.hands.indexOf(mine) + 1 : null,
  };
}

/** The entry an actor stands for: its own, or (for an assistant) its classroom's. */
function ownEntry(hands: readonly HandEntry[], actor: Actor): HandEntry | undefined {
  switch (actor.role) {
    case 'student':
    case 'classroom':
      return hands.find((h) => h.participantId === actor.participantId);
    case 'assistant':
      return actor.classroomId === null
        ? undefined
        : hands.find((h) => h.kind === 'classroom' && h.classroomId === actor.classroomId);
    default:
      return undefined;
  }
}

function assertMayLower(actor: Actor, entry: HandEntry): void {
  switch (actor.role) {
    case 'lecturer':
      return;
    case 'assistant':
      if (entry.classroomId === null || entry.classroomId !== actor.classroomId) {
        fail('FORBIDDEN', "an assistant can only lower its own classroom's hand");
      }
      return;
    default:
      if (entry.participantId !== actor.participantId) fail('FORBIDDEN', 'you can only lower your own hand');
  }
}
