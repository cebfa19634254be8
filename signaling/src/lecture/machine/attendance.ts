/**
 * Attendance across sites: a partner classroom is one connection but many people, so its
 * assistant enters a head count; remote students count themselves by being connected.
 */
import { can, needsClassroom, ONLINE_SITE, type Attendance, type ClassroomAttendance, type Participant } from '@tongtang/shared';
import { classroomOf, fail, own, type Applied, type ClassState, type CommandOf } from './state.ts';

/** An assistant counts its own room; the lecturer may fill in any classroom's (the server checks it exists). */
export function setHeadcount(state: ClassState, cmd: CommandOf<'attendance.setHeadcount'>): Applied {
  const { actor, headcount } = cmd;
  if (!can(actor.role, 'attendance:setHeadcount')) fail('FORBIDDEN', 'only the lecturer or a classroom\'s assistant enters a head count');
  let classroomId: string;
  if (needsClassroom(actor.role)) {
    // Who belongs to a classroom counts that one.
    classroomId = classroomOf(actor);
    if (cmd.classroomId !== undefined && cmd.classroomId !== classroomId) {
      fail('FORBIDDEN', "an assistant enters only its own classroom's head count");
    }
  } else {
    if (cmd.classroomId === undefined) fail('BAD_REQUEST', 'name the classroom whose head count you enter');
    if (cmd.classroomId === ONLINE_SITE) fail('BAD_REQUEST', `the classroom id "${ONLINE_SITE}" is reserved`);
    classroomId = cmd.classroomId;
  }
  if (!Number.isInteger(headcount) || headcount < 0) fail('BAD_REQUEST', 'the head count must be a whole number, 0 or more');
  return {
    state: { ...state, headcounts: { ...state.headcounts, [classroomId]: headcount } },
    effects: [{ type: 'attendanceChanged' }],
  };
}

/**
 * Classrooms are every classroom seen among the connected endpoints and assistants plus every
 * one that has a head count (it stays listed after its devices disconnect).
 */
export function attendance(
  state: ClassState,
  participants: Participant[],
  classroomNames: Record<string, string>,
): Attendance {
  const ids = new Set(Object.keys(state.headcounts));
  for (const p of participants) {
    if (needsClassroom(p.role) && p.classroomId) ids.add(p.classroomId);
  }
  const classrooms: ClassroomAttendance[] = [...ids].map((classroomId) => {
    const here = participants.filter((p) => p.classroomId === classroomId);
    const endpoint = here.find((p) => p.role === 'classroom');
    return {
      classroomId,
      name: own(classroomNames, classroomId) ?? endpoint?.displayName ?? classroomId,
      headcount: own(state.headcounts, classroomId) ?? null,
      endpointConnected: endpoint !== undefined,
      assistantsConnected: here.filter((p) => p.role === 'assistant').length,
    };
  });
  classrooms.sort((a, b) => a.name.localeCompare(b.name) || (a.classroomId < b.classroomId ? -1 : 1));
  const studentsConnected = participants.filter((p) => p.role === 'student').length;
  const counted = classrooms.reduce((sum, c) => sum + (c.headcount ?? 0), 0);
  return { classrooms, studentsConnected, total: counted + studentsConnected };
}
