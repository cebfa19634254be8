/**
 * The lecture itself: scheduled → live → ended (or scheduled → ended straight away), its
 * recording status and its classrooms' names. Ending takes the floor from every speaker in the
 * same step, so no node ever sees an ended lecture with someone still on the floor.
 */
import { can, type LectureInfo, type LectureState } from '@tongtang/shared';
import { endFloor } from './floor.ts';
import { fail, type Actor, type AppliedLecture, type CommandOf, type Effect, type SharedLecture } from './state.ts';

export function startLecture(lecture: SharedLecture, cmd: CommandOf<'lecture.start'>): AppliedLecture {
  mayControl(cmd.actor);
  return { state: { ...lecture, info: moveTo(lecture.info, 'live', cmd.now) }, effects: [{ type: 'lectureChanged' }] };
}

/** Ends the lecture; every speaker loses the floor at the same `now` (one floorChanged lists them all). */
export function endLecture(lecture: SharedLecture, cmd: CommandOf<'lecture.end'>): AppliedLecture {
  mayControl(cmd.actor);
  const info = moveTo(lecture.info, 'ended', cmd.now);
  const revoked = lecture.classState.speakers.map((s) => s.participantId);
  const classState = revoked.reduce((s, participantId) => endFloor(s, participantId, cmd.now), lecture.classState);
  const effects: Effect[] = [{ type: 'lectureChanged' }];
  if (revoked.length > 0) effects.push({ type: 'floorChanged', granted: [], revoked });
  return { state: { ...lecture, info, classState }, effects };
}

/** The recording status everyone sees (late joiners with the lecture, others as lecture:updated). */
export function setRecording(lecture: SharedLecture, cmd: CommandOf<'recording.set'>): AppliedLecture {
  return { state: { ...lecture, info: { ...lecture.info, recording: cmd.recording } }, effects: [{ type: 'lectureChanged' }] };
}

/**
 * A classroom's name as its endpoint announced it. Nobody is told: attendance is sent on join,
 * and other nodes reload the shared state when a classroom endpoint joins.
 */
export function nameClassroom(lecture: SharedLecture, cmd: CommandOf<'classroom.name'>): AppliedLecture {
  const { classroomId, name } = cmd;
  if (classroomId === '') fail('BAD_REQUEST', 'a classroom needs an id');
  if (Object.hasOwn(lecture.classroomNames, classroomId) && lecture.classroomNames[classroomId] === name) {
    return { state: lecture, effects: [] };
  }
  return { state: { ...lecture, classroomNames: { ...lecture.classroomNames, [classroomId]: name } }, effects: [] };
}

function mayControl(actor: Actor): void {
  if (!can(actor.role, 'lecture:control')) fail('FORBIDDEN', `a ${actor.role} cannot start or end the lecture`);
}

/** scheduled → live, scheduled → ended, live → ended; anything else is a CONFLICT. */
function moveTo(info: LectureInfo, next: LectureState, now: number): LectureInfo {
  const from = info.state;
  const allowed = (from === 'scheduled' && next !== 'scheduled') || (from === 'live' && next === 'ended');
  if (!allowed) fail('CONFLICT', `the lecture is ${from} and cannot become ${next}`);
  return { ...info, state: next, startedAt: next === 'live' ? now : info.startedAt, endedAt: next === 'ended' ? now : null };
}
