/**
 * Who is told what in a lecture, each rule stated once. Fan-out is shaped for hundreds of
 * students: they get what concerns them (the program, the lecturer and the sites, their own
 * hand, public chat, a poll as it opens and closes), while the lecturer, the sites and IT also
 * get the crowd (every student, the whole hand queue, counts as they arrive). Pure, so the join
 * answer (join.ts), the broadcasts (effects.ts, handsFanout.ts) and the roster (LectureRoom.ts)
 * all ask the same functions. Who receives whose media is visibility.ts.
 */
import { can, type ChatMessage, type Role } from '@tongtang/shared';
import type { PollState } from './state.ts';

/** Anyone told something: a participant, a session's participant, an actor. */
export interface Viewer {
  id: string;
  role: Role;
}

/** Students are many: they are not sent the other students, only the lecturer and the sites. */
export function seesStudents(role: Role): boolean {
  return role !== 'student';
}

/** Whether `viewer` has `participant` in its roster (and hears it join and leave). */
export function seesParticipant(viewer: Role, participant: { role: Role }): boolean {
  return participant.role !== 'student' || seesStudents(viewer);
}

/** The whole hand queue; a student sees only its own entry and place. */
export function seesHandQueue(role: Role): boolean {
  return seesStudents(role);
}

/**
 * A chat message: a public one reaches everyone; a private one its sender, its addressee and
 * the lecturer (messages to the lecturer, and the lecturer's own private replies).
 */
export function receivesChat(viewer: Viewer, message: ChatMessage): boolean {
  return message.to === 'everyone' || viewer.role === 'lecturer' || viewer.id === message.fromId || viewer.id === message.toId;
}

/** Counts as they change (reactions, a poll's answers while it is open): the lecturer, the sites and IT. */
export function seesLiveCounts(role: Role): boolean {
  return seesStudents(role);
}

/** A poll update: everyone hears a poll open and close; the counts in between go to who sees live counts. */
export function receivesPollUpdate(role: Role, poll: Pick<PollState, 'state' | 'answers' | 'siteCounts'> | undefined): boolean {
  return seesLiveCounts(role) || (poll !== undefined && (poll.state === 'closed' || unanswered(poll)));
}

const ATTENDANCE: ReadonlySet<Role> = new Set<Role>(['lecturer', 'assistant', 'observer']);

/** Attendance: the lecturer, the assistants who enter head counts, and IT; not students, not the projector. */
export function seesAttendance(role: Role): boolean {
  return ATTENDANCE.has(role);
}

/** Quality ceilings: who may set them (the lecturer and IT) sees them. */
export function seesTiers(role: Role): boolean {
  return can(role, 'site:setTier');
}

/** The classrooms' hardware and its keys: who may connect it sees it. */
export function seesSources(role: Role): boolean {
  return can(role, 'source:manage');
}

/** A classroom endpoint is told where its own room's picture comes from. */
export function seesOwnRoomSource(role: Role): boolean {
  return role === 'classroom';
}

/** A poll nobody has answered yet has just been opened. */
function unanswered(poll: Pick<PollState, 'answers' | 'siteCounts'>): boolean {
  return Object.keys(poll.answers).length === 0 && Object.keys(poll.siteCounts).length === 0;
}
