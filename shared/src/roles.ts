/** Who a participant is in a lecture. Carried in the signed join token. */
export const ROLES = ['lecturer', 'classroom', 'assistant', 'student', 'observer'] as const;
export type Role = (typeof ROLES)[number];

/** What a participant may ask the server to do; checked on the server for every request. */
export type Action =
  | 'lecture:control' // start / end the lecture
  | 'recording:control' // start / stop recording the lecture
  | 'media:publishProgram' // camera, microphone, screen of the host room
  | 'media:publishRoomCamera' // a partner classroom's room camera for the lecturer's wall
  | 'media:publishOnFloor' // microphone (and camera) while holding the floor
  | 'media:receive'
  | 'hand:raise'
  | 'hand:manageAny' // lower any entry, clear the queue
  | 'hand:manageOwnClassroom' // an assistant lowers its classroom's entries
  | 'floor:control' // grant, revoke, mute, stop camera
  | 'chat:toEveryone'
  | 'chat:toLecturer'
  | 'chat:toParticipant' // a private reply to one participant
  | 'reaction:send'
  | 'poll:control'
  | 'poll:answerSelf' // a student answers as one person
  | 'poll:answerSite' // an assistant enters counts for its classroom
  | 'attendance:setHeadcount' // an assistant for its classroom; the lecturer for any classroom
  | 'attendance:export'
  | 'stats:read'
  | 'site:setTier' // a partner classroom's quality ceiling
  | 'source:manage'; // connect a partner classroom's hardware (RTMP encoder, IP camera) and see its keys

const GRANTS: Record<Role, readonly Action[]> = {
  lecturer: [
    'lecture:control', 'recording:control', 'media:publishProgram', 'media:receive', 'hand:manageAny', 'floor:control',
    'chat:toEveryone', 'chat:toParticipant', 'poll:control', 'attendance:setHeadcount', 'attendance:export', 'stats:read', 'site:setTier',
    'source:manage',
  ],
  classroom: [
    'media:publishRoomCamera', 'media:publishOnFloor', 'media:receive', 'hand:raise',
    'chat:toLecturer', 'reaction:send',
  ],
  assistant: [
    'media:receive', 'hand:raise', 'hand:manageOwnClassroom', 'chat:toEveryone', 'chat:toLecturer',
    'reaction:send', 'poll:answerSite', 'attendance:setHeadcount',
  ],
  student: [
    'media:publishOnFloor', 'media:receive', 'hand:raise', 'chat:toEveryone', 'chat:toLecturer',
    'reaction:send', 'poll:answerSelf',
  ],
  observer: ['media:receive', 'stats:read', 'site:setTier', 'source:manage'],
};

export function can(role: Role, action: Action): boolean {
  return GRANTS[role].includes(action);
}

/** Roles whose token must name the partner classroom they belong to. */
export function needsClassroom(role: Role): boolean {
  return role === 'classroom' || role === 'assistant';
}
