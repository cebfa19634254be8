/**
 * Every user-visible string, in English. A zh-CN table will implement `Strings`; nothing else
 * in the views spells out text.
 */
import type { LectureState } from '../../../shared/src/domain.ts';
import type { Role } from '../../../shared/src/roles.ts';
import type { NoticeCode } from '../session/Session.ts';
import type { ConnectionState } from '../signal/SignalClient.ts';

export const en = {
  appName: 'Tongtang',
  connection: {
    connecting: 'Connecting…',
    connected: 'Connected',
    reconnecting: 'Reconnecting…',
    disconnected: 'Disconnected',
  } satisfies Record<ConnectionState, string>,
  lectureState: {
    scheduled: 'Not started',
    live: 'Live',
    ended: 'Ended',
  } satisfies Record<LectureState, string>,
  roles: {
    lecturer: 'Lecturer',
    classroom: 'Partner classroom',
    assistant: 'Assistant teacher',
    student: 'Student',
    observer: 'Observer',
  } satisfies Record<Role, string>,
  join: {
    heading: 'Join a live lecture',
    intro: 'Open the join link you were given, or paste it below.',
    demoHeading: 'Demo lecture',
    demoIntro: 'This server runs in demo mode. Open one link per window:',
    pasteLabel: 'Join link or token',
    pastePlaceholder: 'http://…/?token=…',
    submit: 'Join',
    invalid: 'That does not look like a join link or token.',
    loading: 'Loading…',
  },
  session: {
    joining: 'Joining the lecture…',
    leaveAgain: 'Back to the join page',
    dismiss: 'Dismiss',
  },
  lecture: {
    goLive: 'Go live',
    endLecture: 'End lecture',
    confirmEnd: 'End the lecture for every site?',
    elapsed: 'Elapsed',
    notStarted: 'The lecture has not started yet.',
    ended: 'The lecture has ended. Thank you!',
    waitingVideo: 'Waiting for the lecturer’s video…',
  },
  media: {
    camera: 'Camera',
    microphone: 'Microphone',
    screen: 'Screen',
    on: 'on',
    off: 'off',
    starting: 'starting…',
    selfPreview: 'Your camera',
    noVideo: 'No video',
    paused: 'Paused',
    enableSound: 'Click to enable sound',
  },
  wall: {
    heading: 'Partner classrooms',
    empty: 'No partner classroom is connected yet.',
    offline: 'offline',
  },
  hands: {
    raise: 'Raise hand',
    raiseForClassroom: 'Raise hand for the classroom',
    lower: 'Lower hand',
    position: (position: number, total: number) => `Your hand is up — #${position} of ${total}`,
    raised: 'Your hand is up',
    queueHeading: 'Raised hands',
    queueEmpty: 'No hands raised.',
    grant: 'Give the floor',
    classroomHand: 'classroom',
    studentHand: 'student',
  },
  floor: {
    speakersHeading: 'On stage',
    speakersEmpty: 'Nobody holds the floor.',
    limit: (count: number, max: number) => `${count} of ${max}`,
    revoke: 'End',
    micMuted: 'mic muted',
    liveBanner: 'YOU ARE LIVE TO ALL SITES',
    youAreSpeaking: 'You have the floor — everyone can hear you.',
  },
  observer: {
    participants: 'Participants',
    stats: 'Media server',
    name: 'Name',
    role: 'Role',
    classroom: 'Classroom',
    statLabels: {
      participants: 'Participants',
      producers: 'Producers',
      consumers: 'Consumers',
      transports: 'Transports',
      routers: 'Routers',
    },
    worker: (pid: number, cpuMs: number, rssMb: number) => `worker ${pid}: ${cpuMs} ms CPU, ${rssMb} MB`,
  },
  errors: {
    BAD_REQUEST: 'The request was not understood.',
    PAYLOAD_TOO_LARGE: 'That was too large to send.',
    UNKNOWN_REQUEST: 'The server does not know that request.',
    TOKEN_INVALID: 'This join link is not valid.',
    TOKEN_EXPIRED: 'This join link has expired. Ask for a new one.',
    NOT_JOINED: 'Not in the lecture yet.',
    FORBIDDEN: 'You are not allowed to do that.',
    NOT_FOUND: 'It is gone already.',
    CONFLICT: 'That is not possible right now.',
    LIMIT_EXCEEDED: 'The limit is reached.',
    RATE_LIMITED: 'Too fast — try again in a moment.',
    MEDIA_ERROR: 'The media server refused.',
    UNAVAILABLE: 'The service is unavailable right now.',
    INTERNAL: 'Something went wrong.',
    TIMEOUT: 'The server did not answer in time.',
    DISCONNECTED: 'Not connected.',
    SESSION_REPLACED: 'You joined from another window; this one has left.',
    MEDIA_DENIED: 'Camera, microphone or screen access was refused.',
  } satisfies Record<NoticeCode, string>,
};

export type Strings = typeof en;
