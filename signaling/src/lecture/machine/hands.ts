/** The raised-hand queue: who wants the floor, in the order they asked. */
import { can, type HandEntry, type HandKind, type HandsView, type Role } from '@tongtang/shared';
import { seesHandQueue } from './audience.ts';
import {
  classroomOf, fail, insertOrdered, takeId, type Actor, type Applied, type ClassState, type CommandOf,
} from './state.ts';

export function raiseHand(state: ClassState, cmd: CommandOf<'hand.raise'>): Applied {
  const { actor } = cmd;
  if (!can(actor.role, 'hand:raise')) fail('FORBIDDEN', `a ${actor.role} cannot raise a hand`);
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
      // A role granted hand:raise that the queue has no kind of entry for.
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
  if (!lowersHands(actor.role)) fail('FORBIDDEN', `${article(actor.role)} ${actor.role} cannot lower hands`);
  let entry: HandEntry | undefined;
  if (entryId === undefined) {
    // Who cannot raise a hand has none of its own to lower.
    if (!can(actor.role, 'hand:raise')) fail('BAD_REQUEST', 'name the hand entry to lower');
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
  if (!can(cmd.actor.role, 'hand:manageAny')) fail('FORBIDDEN', 'only the lecturer can clear the hand queue');
  if (state.hands.length === 0) return { state, effects: [] };
  return { state: { ...state, hands: [] }, effects: [{ type: 'handsChanged' }] };
}

/** The queue as `viewer` sees it: the whole queue, or its own entry and place (audience.ts). */
export function handsView(state: ClassState, viewer: Actor): HandsView {
  const mine = ownEntry(state.hands, viewer);
  return {
    entries: seesHandQueue(viewer.role) ? [...state.hands] : (mine ? [mine] : []),
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

/** Its own hand (who may raise one), its classroom's entries, or any entry. */
function lowersHands(role: Role): boolean {
  return can(role, 'hand:raise') || can(role, 'hand:manageOwnClassroom') || can(role, 'hand:manageAny');
}

function assertMayLower(actor: Actor, entry: HandEntry): void {
  if (can(actor.role, 'hand:manageAny')) return;
  if (can(actor.role, 'hand:manageOwnClassroom')) {
    if (entry.classroomId === null || entry.classroomId !== actor.classroomId) {
      fail('FORBIDDEN', "an assistant can only lower its own classroom's hand");
    }
    return;
  }
  if (entry.participantId !== actor.participantId) fail('FORBIDDEN', 'you can only lower your own hand');
}

function article(role: Role): string {
  return /^[aeiou]/.test(role) ? 'an' : 'a';
}
