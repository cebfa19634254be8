/** The floor: who speaks to everyone right now, capped at maxSpeakers, with a history for export. */
import { can, type FloorRecord, type FloorState, type LectureState, type Speaker } from '@tongtang/shared';
import { fail, insertOrdered, type Applied, type ClassState, type CommandOf, type Effect } from './state.ts';

type Candidate = Pick<Speaker, 'participantId' | 'displayName' | 'role' | 'classroomId'>;

export function grantFloor(state: ClassState, cmd: CommandOf<'floor.grant'>, lecture: LectureState = 'live'): Applied {
  if (!can(cmd.actor.role, 'floor:control')) fail('FORBIDDEN', 'only the lecturer can grant the floor');
  // Before the lecture is live nobody receives the program, so a speaker would speak to nobody.
  if (lecture === 'scheduled') fail('CONFLICT', 'go live before giving anyone the floor');
  const candidate = candidateFor(state, cmd);
  if (isSpeaking(state, candidate.participantId)) fail('CONFLICT', `${candidate.displayName} is already on the floor`);

  let next = state;
  const revoked: string[] = [];
  if (state.speakers.length >= state.maxSpeakers) {
    if (!cmd.replace) {
      fail('LIMIT_EXCEEDED', `the floor is full: at most ${state.maxSpeakers} speaker(s) at a time; revoke one or replace the longest-speaking`);
    }
    while (next.speakers.length >= next.maxSpeakers && next.speakers.length > 0) {
      const longest = next.speakers.reduce((a, b) => (b.since < a.since ? b : a));
      next = endFloor(next, longest.participantId, cmd.now);
      revoked.push(longest.participantId);
    }
  }

  const speaker: Speaker = { ...candidate, since: cmd.now, micMuted: false, mutedBy: null, cameraStopped: false };
  const record: FloorRecord = { ...candidate, grantedAt: cmd.now, endedAt: null };
  const hands = next.hands.filter((h) => h.participantId !== candidate.participantId);
  const effects: Effect[] = [{ type: 'floorChanged', granted: [candidate.participantId], revoked }];
  if (hands.length !== state.hands.length) effects.push({ type: 'handsChanged' });
  return {
    state: {
      ...next,
      hands,
      speakers: insertOrdered(next.speakers, speaker, (s) => s.since),
      floorHistory: [...next.floorHistory, record],
    },
    effects,
  };
}

/** The lecturer takes the floor back, or a speaker steps down. */
export function revokeFloor(state: ClassState, cmd: CommandOf<'floor.revoke'>): Applied {
  const { actor, participantId } = cmd;
  if (!can(actor.role, 'floor:control') && actor.participantId !== participantId) {
    fail('FORBIDDEN', 'only the lecturer can take the floor from someone else');
  }
  if (!isSpeaking(state, participantId)) fail('NOT_FOUND', 'not on the floor');
  return {
    state: endFloor(state, participantId, cmd.now),
    effects: [{ type: 'floorChanged', granted: [], revoked: [participantId] }],
  };
}

/**
 * The lecturer mutes or unmutes a speaker; a speaker may also mute itself, and unmute itself
 * only when the mute was its own: the lecturer's mute is the lecturer's to lift.
 */
export function muteSpeaker(state: ClassState, cmd: CommandOf<'floor.mute'>): Applied {
  const { actor, participantId, muted } = cmd;
  const current = state.speakers.find((s) => s.participantId === participantId);
  let mutedBy: Speaker['mutedBy'];
  if (can(actor.role, 'floor:control')) {
    if (!current) fail('NOT_FOUND', 'not on the floor');
    mutedBy = muted ? 'lecturer' : null;
  } else if (actor.participantId === participantId) {
    if (!current) {
      // Off the floor the microphone reaches nobody; unmuting would be a way onto the floor.
      if (muted) fail('NOT_FOUND', 'you are not on the floor');
      fail('FORBIDDEN', `a ${actor.role} cannot unmute itself without the floor`);
    }
    if (current.mutedBy === 'lecturer') {
      if (!muted) fail('FORBIDDEN', 'the lecturer has muted you; only the lecturer can unmute you');
      mutedBy = 'lecturer';
    } else {
      mutedBy = muted ? 'self' : null;
    }
  } else {
    fail('FORBIDDEN', 'only the lecturer can mute another participant');
  }
  return {
    state: updateSpeaker(state, participantId, { micMuted: muted, mutedBy }),
    // Emitted even when unchanged: pausing or resuming the producer again is harmless and
    // repairs a producer that drifted from the state.
    effects: [{ type: 'speakerMuted', participantId, muted }],
  };
}

export function stopSpeakerCamera(state: ClassState, cmd: CommandOf<'floor.stopCamera'>): Applied {
  if (!can(cmd.actor.role, 'floor:control')) fail('FORBIDDEN', "only the lecturer can stop a speaker's camera");
  if (!isSpeaking(state, cmd.participantId)) fail('NOT_FOUND', 'not on the floor');
  return {
    state: updateSpeaker(state, cmd.participantId, { cameraStopped: true }),
    effects: [{ type: 'speakerCameraStopped', participantId: cmd.participantId }],
  };
}

export function floorState(state: ClassState): FloorState {
  return { speakers: [...state.speakers], maxSpeakers: state.maxSpeakers };
}

export function isSpeaking(state: ClassState, participantId: string): boolean {
  return state.speakers.some((s) => s.participantId === participantId);
}

/** Removes a speaker and closes its open history record; unchanged state if it was not speaking. */
export function endFloor(state: ClassState, participantId: string, now: number): ClassState {
  if (!isSpeaking(state, participantId)) return state;
  let open = -1;
  state.floorHistory.forEach((r, i) => {
    if (r.participantId === participantId && r.endedAt === null) open = i;
  });
  return {
    ...state,
    speakers: state.speakers.filter((s) => s.participantId !== participantId),
    floorHistory: open === -1
      ? state.floorHistory
      : state.floorHistory.map((r, i) => (i === open ? { ...r, endedAt: now } : r)),
  };
}

/** Who a grant is for: a queued hand entry, or a participant picked directly. */
function candidateFor(state: ClassState, { entryId, target }: CommandOf<'floor.grant'>): Candidate {
  if (entryId !== undefined && target === undefined) {
    const entry = state.hands.find((h) => h.id === entryId);
    if (!entry) fail('NOT_FOUND', `no hand entry ${entryId}`);
    const { participantId, displayName, classroomId } = entry;
    return { participantId, displayName, classroomId, role: entry.kind === 'student' ? 'student' : 'classroom' };
  }
  if (target !== undefined && entryId === undefined) {
    if (!can(target.role, 'media:publishOnFloor')) {
      fail('BAD_REQUEST', 'only a student or a partner classroom can take the floor');
    }
    return { participantId: target.id, displayName: target.displayName, role: target.role, classroomId: target.classroomId };
  }
  fail('BAD_REQUEST', 'give exactly one of a hand entry or a target participant');
}

function updateSpeaker(state: ClassState, participantId: string, patch: Partial<Speaker>): ClassState {
  return {
    ...state,
    speakers: state.speakers.map((s) => (s.participantId === participantId ? { ...s, ...patch } : s)),
  };
}
