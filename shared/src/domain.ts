/** The lecture's domain objects as they travel to clients. */
import type { Role } from './roles.ts';

export type LectureState = 'scheduled' | 'live' | 'ended';

/** Whether the lecture is being recorded: every participant sees it (students must know). */
export interface RecordingStatus {
  state: 'idle' | 'recording' | 'error';
  /** When the current recording started (state 'recording'). */
  since: number | null;
  /** Why recording failed (state 'error'). */
  message: string | null;
}

export const RECORDING_IDLE: RecordingStatus = { state: 'idle', since: null, message: null };

export interface LectureInfo {
  id: string;
  title: string;
  state: LectureState;
  startedAt: number | null;
  endedAt: number | null;
  maxSpeakers: number;
  recording: RecordingStatus;
}

export interface Participant {
  id: string;
  role: Role;
  displayName: string;
  /** The partner classroom a classroom endpoint or assistant belongs to. */
  classroomId: string | null;
}

export const MEDIA_SOURCES = ['camera', 'microphone', 'screen'] as const;
export type MediaSource = (typeof MEDIA_SOURCES)[number];
export type MediaKind = 'audio' | 'video';

export interface ProducerInfo {
  id: string;
  participantId: string;
  role: Role;
  displayName: string;
  source: MediaSource;
  kind: MediaKind;
  paused: boolean;
  /** Brought in by the media gateway from the classroom's hardware; absent for a browser's own track. */
  via?: SourceKind;
}

/** mediasoup transport parameters; opaque to everything but the SFU and mediasoup-client. */
export interface TransportOptions {
  id: string;
  iceParameters: unknown;
  iceCandidates: unknown[];
  dtlsParameters: unknown;
}

export interface ConsumerOptions {
  id: string;
  producerId: string;
  kind: MediaKind;
  rtpParameters: unknown;
  participantId: string;
  source: MediaSource;
  producerPaused: boolean;
}

export type HandKind = 'student' | 'classroom';

export interface HandEntry {
  id: string;
  /** The endpoint that gets the floor: the student, or the classroom endpoint. */
  participantId: string;
  kind: HandKind;
  classroomId: string | null;
  displayName: string;
  note: string | null;
  raisedAt: number;
  raisedBy: string;
}

/** The hand queue as one viewer sees it: students only see their own entry and position. */
export interface HandsView {
  entries: HandEntry[];
  total: number;
  myPosition: number | null;
}

export interface Speaker {
  participantId: string;
  displayName: string;
  role: Role;
  classroomId: string | null;
  since: number;
  /** The speaker's microphone is paused on the server. */
  micMuted: boolean;
  /**
   * Who muted it: a speaker may undo its own mute, never the lecturer's (null while unmuted).
   * Recorded in the state so a `floor:mute {self, false}` cannot slip past the lecturer.
   */
  mutedBy: 'lecturer' | 'self' | null;
  /** The lecturer stopped this speaker's camera: no camera may be published until the next grant. */
  cameraStopped: boolean;
}

export interface FloorState {
  speakers: Speaker[];
  maxSpeakers: number;
}

/** `participant`: the lecturer's private reply to one person (named by toId). */
export type ChatAudience = 'everyone' | 'lecturer' | 'participant';

export interface ChatMessage {
  id: string;
  fromId: string;
  fromName: string;
  fromRole: Role;
  to: ChatAudience;
  /** For `participant`: whom the lecturer wrote to. */
  toId?: string;
  toName?: string;
  text: string;
  sentAt: number;
}

export const REACTIONS = ['👍', '❓', '👏', '😀', '🐢'] as const;
export type Reaction = (typeof REACTIONS)[number];

/** Site = a partner classroom id, or ONLINE_SITE for individual remote students. */
export const ONLINE_SITE = 'online';
export type ReactionCounts = Record<string, Partial<Record<Reaction, number>>>;

export interface PollResults {
  perOption: number[];
  perSite: Record<string, number[]>;
  respondents: number;
}

export interface PollView {
  id: string;
  question: string;
  options: string[];
  multiple: boolean;
  state: 'open' | 'closed';
  openedAt: number;
  closedAt: number | null;
  results: PollResults;
  /** The viewer's own answer (a student's choices, or an assistant's site counts). */
  mine: number[] | null;
}

export interface ClassroomAttendance {
  classroomId: string;
  name: string;
  headcount: number | null;
  endpointConnected: boolean;
  assistantsConnected: number;
}

export interface Attendance {
  classrooms: ClassroomAttendance[];
  studentsConnected: number;
  /** Sum of classroom head counts plus connected remote students. */
  total: number;
}

export interface FloorRecord {
  participantId: string;
  displayName: string;
  role: Role;
  classroomId: string | null;
  grantedAt: number;
  endedAt: number | null;
}

export interface LectureStats {
  lectureId: string;
  participants: number;
  producers: number;
  consumers: number;
  transports: number;
  routers: number;
  workers: { pid: number; cpuUserMs: number; cpuSystemMs: number; maxRssKb: number }[];
}

/**
 * How much of a simulcast video a site may receive: its quality ceiling. `high` takes the top
 * layer, `medium` the middle one, `low` the lowest. Operators set one per role; the lecturer or IT
 * overrides it per partner classroom at run time (one campus's uplink is not another's).
 */
export const TIERS = ['high', 'medium', 'low'] as const;
export type Tier = (typeof TIERS)[number];
/** The highest spatial layer a tier receives. */
export const TIER_TOP_LAYER: Record<Tier, number> = { high: 2, medium: 1, low: 0 };

export interface SiteTiers {
  /** Each role's ceiling, as the operator configured it. */
  defaults: Record<Role, Tier>;
  /** Per-classroom overrides (classroom id -> tier); a classroom not listed uses its role's. */
  classrooms: Record<string, Tier>;
}

/** Where a partner classroom's room camera comes from: its projector PC's browser, or its own hardware. */
export const SOURCE_KINDS = ['rtmp', 'rtsp', 'whip'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** How a hardware source is doing, as the gateway measures it (refreshed about once a second). */
export interface SourceHealth {
  /** waiting: nothing received yet; stalled: no frame for a few seconds; restarting: reconnecting after a drop. */
  state: 'waiting' | 'live' | 'stalled' | 'restarting' | 'closed';
  fps: number;
  bitrateKbps: number;
  /** Key-frame interval viewers receive (s); null when the gateway does not re-encode (WHIP). */
  keyFrameSeconds: number | null;
  reconnects: number;
  lastError: string | null;
}

/**
 * A partner classroom's hardware source, for the lecturer and IT only: the RTMP URL and stream
 * key (or WHIP URL and bearer key) are secrets of the room's encoder.
 */
export interface ClassroomSource {
  classroomId: string;
  /** The classroom endpoint (projector PC) the source's camera and microphone belong to. */
  participantId: string;
  kind: SourceKind;
  /** RTMP: where the encoder pushes (server URL) and its stream key; WHIP: the endpoint and bearer key. */
  ingestUrl: string | null;
  key: string | null;
  /** RTSP: the camera URL IT registered (credentials masked). */
  cameraUrl: string | null;
  health: SourceHealth;
}

/**
 * What a receiver's link carries of the lecture: everything; audio plus slides (the lecturer's
 * camera does not fit); audio only. Told to the receiver, which says so and climbs back by itself.
 */
export type ReceptionMode = 'full' | 'slides' | 'audio';
