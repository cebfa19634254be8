/**
 * The one protocol between clients and the signaling server.
 *
 * Requests are `domain:verb` events sent with an acknowledgement callback; every payload is
 * parsed with the schema below before the server looks at it, and every request is answered
 * with `{ ok: true, data }` or `{ ok: false, error }`. Broadcasts are past-tense events pushed
 * by the server. docs/protocol.md describes the flow.
 */
import { z } from 'zod';
import type {
  Attendance, ChatMessage, ClassroomSource, ConsumerOptions, FloorState, HandsView, LectureInfo, LectureStats,
  Participant, PollView, ProducerInfo, ReactionCounts, Reaction, ReceptionMode, SiteTiers, SourceKind, TransportOptions,
} from './domain.ts';
import { MEDIA_SOURCES, REACTIONS, TIERS } from './domain.ts';
import type { WireError } from './errors.ts';

export const PROTOCOL_VERSION = 1;
/** Largest JSON payload one request may carry; Socket.IO's own buffer limit sits above it. */
export const MAX_REQUEST_BYTES = 32 * 1024;

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'must be a plain identifier');
const empty = z.object({}).strict();
const text = (max: number) => z.string().trim().min(1).max(max);

// mediasoup structures are validated for shape here and in depth by mediasoup itself.
const dtlsParameters = z.looseObject({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z.array(z.looseObject({ algorithm: z.string().max(32), value: z.string().max(256) })).min(1).max(8),
});
const codec = z.looseObject({ mimeType: z.string().max(64), clockRate: z.number().int().positive() });
const rtpParameters = z.looseObject({
  codecs: z.array(codec.extend({ payloadType: z.number().int().min(0).max(127) })).min(1).max(16),
  encodings: z.array(z.looseObject({})).max(4).optional(),
  headerExtensions: z.array(z.looseObject({})).max(32).optional(),
  mid: z.string().max(32).optional(),
});
const rtpCapabilities = z.looseObject({
  codecs: z.array(codec.extend({ kind: z.enum(['audio', 'video']) })).max(64).optional(),
  headerExtensions: z.array(z.looseObject({})).max(64).optional(),
});

export const requestSchemas = {
  'lecture:join': z.object({ protocolVersion: z.literal(PROTOCOL_VERSION) }).strict(),
  'lecture:start': empty,
  'lecture:end': empty,
  'recording:start': empty,
  'recording:stop': empty,

  'media:setCapabilities': z.object({ rtpCapabilities }).strict(),
  /** Starts this participant's media afresh (after `media:reset`): new peer, nothing published or received. */
  'media:restart': empty,
  'media:createTransport': z.object({ direction: z.enum(['send', 'recv']) }).strict(),
  'media:connectTransport': z.object({ transportId: id, dtlsParameters }).strict(),
  'media:restartIce': z.object({ transportId: id }).strict(),
  'media:produce': z.object({
    transportId: id,
    kind: z.enum(['audio', 'video']),
    source: z.enum(MEDIA_SOURCES),
    rtpParameters,
  }).strict(),
  'media:closeProducer': z.object({ producerId: id }).strict(),
  'media:pauseProducer': z.object({ producerId: id }).strict(),
  'media:resumeProducer': z.object({ producerId: id }).strict(),
  'media:consume': z.object({ producerId: id }).strict(),
  'media:resumeConsumer': z.object({ consumerId: id }).strict(),
  'media:pauseConsumer': z.object({ consumerId: id }).strict(),
  'media:setPreferredLayers': z.object({
    consumerId: id,
    spatialLayer: z.number().int().min(0).max(2),
    temporalLayer: z.number().int().min(0).max(2).optional(),
  }).strict(),

  'stats:get': empty,

  'hand:raise': z.object({ note: text(140).optional() }).strict(),
  'hand:lower': z.object({ entryId: id.optional() }).strict(),
  'hand:clear': empty,

  'floor:grant': z.object({
    entryId: id.optional(),
    participantId: id.optional(),
    /** When the speaker limit is reached, replace the longest-speaking one. */
    replace: z.boolean().optional(),
  }).strict().refine((v) => (v.entryId === undefined) !== (v.participantId === undefined), {
    message: 'give exactly one of entryId or participantId',
  }),
  'floor:revoke': z.object({ participantId: id }).strict(),
  'floor:mute': z.object({ participantId: id, muted: z.boolean() }).strict(),
  'floor:stopCamera': z.object({ participantId: id }).strict(),

  // participantId names the recipient of a lecturer's private reply (to: 'participant').
  'chat:send': z.object({ to: z.enum(['everyone', 'lecturer', 'participant']), text: text(500), participantId: id.optional() }).strict(),
  'reaction:send': z.object({ emoji: z.enum(REACTIONS) }).strict(),

  'poll:open': z.object({
    question: text(200),
    options: z.array(text(80)).min(2).max(8),
    multiple: z.boolean(),
  }).strict(),
  'poll:answer': z.object({ pollId: id, choices: z.array(z.number().int().min(0).max(7)).min(1).max(8) }).strict(),
  'poll:answerSite': z.object({ pollId: id, counts: z.array(z.number().int().min(0).max(5000)).min(2).max(8) }).strict(),
  'poll:close': z.object({ pollId: id }).strict(),

  // classroomId: the lecturer names the classroom; an assistant enters its own (may omit it).
  'attendance:setHeadcount': z.object({ headcount: z.number().int().min(0).max(5000), classroomId: id.optional() }).strict(),
  'attendance:export': empty,

  // A partner classroom's quality ceiling; 'auto' goes back to its role's.
  'site:setTier': z.object({ classroomId: id, tier: z.enum([...TIERS, 'auto']) }).strict(),

  // A partner classroom's hardware: an RTMP encoder pushes to a key the server makes; an IP
  // camera is pulled from the URL IT gives; a WHIP encoder (OBS 30+) publishes to the server's
  // WHIP endpoint with a key the server makes. Replaces the classroom's previous source.
  'source:open': z.discriminatedUnion('kind', [
    z.object({ classroomId: id, kind: z.literal('rtmp') }).strict(),
    z.object({ classroomId: id, kind: z.literal('whip') }).strict(),
    z.object({ classroomId: id, kind: z.literal('rtsp'), url: z.string().trim().min(8).max(1000) }).strict(),
  ]),
  'source:close': z.object({ classroomId: id }).strict(),
} as const;

/** HTTP, not Socket.IO: the pre-join media check. POST /api/probe answers ProbeOptions (media.ts). */
export const probeConnectSchema = z.object({ dtlsParameters }).strict();

export type RequestName = keyof typeof requestSchemas;
export type RequestOf<N extends RequestName> = z.infer<(typeof requestSchemas)[N]>;

export interface JoinResponse {
  self: Participant;
  lecture: LectureInfo;
  participants: Participant[];
  routerRtpCapabilities: unknown;
  /** Producers this participant receives, as of now; later ones arrive as producer:added. */
  producers: ProducerInfo[];
  hands: HandsView;
  floor: FloorState;
  chat: ChatMessage[];
  polls: PollView[];
  reactions: ReactionCounts;
  attendance: Attendance | null;
  /** Quality ceilings, for the lecturer and IT (who may change a classroom's); null for others. */
  tiers: SiteTiers | null;
  /** Partner classrooms' hardware sources with their keys, for the lecturer and IT; null for others. */
  sources: ClassroomSource[] | null;
  /** For a classroom endpoint: the hardware that feeds its camera and microphone (it then publishes neither). */
  roomSource: SourceKind | null;
  /** TURN servers with this participant's time-limited credential, when the server runs TURN. */
  iceServers?: IceServer[];
}

/** What RTCPeerConnection takes as an ICE server (the TURN REST API credential: see signaling/src/turn). */
export interface IceServer {
  urls: string[];
  username: string;
  credential: string;
}

type Ok = Record<string, never>;

/** What a participant needs to build its media again: the router's codecs and what it receives now. */
export interface MediaRestart {
  routerRtpCapabilities: unknown;
  producers: ProducerInfo[];
}

export interface ResponseMap {
  'lecture:join': JoinResponse;
  'lecture:start': LectureInfo;
  'lecture:end': LectureInfo;
  /** The lecture with its recording status ('recording', or 'error' with the reason). */
  'recording:start': LectureInfo;
  'recording:stop': LectureInfo;
  'media:setCapabilities': Ok;
  'media:restart': MediaRestart;
  'media:createTransport': TransportOptions;
  'media:connectTransport': Ok;
  'media:restartIce': { iceParameters: unknown };
  'media:produce': { producerId: string };
  'media:closeProducer': Ok;
  'media:pauseProducer': Ok;
  'media:resumeProducer': Ok;
  'media:consume': ConsumerOptions;
  'media:resumeConsumer': Ok;
  'media:pauseConsumer': Ok;
  'media:setPreferredLayers': Ok;
  'stats:get': LectureStats;
  'hand:raise': HandsView;
  'hand:lower': HandsView;
  'hand:clear': HandsView;
  'floor:grant': FloorState;
  'floor:revoke': FloorState;
  'floor:mute': FloorState;
  'floor:stopCamera': FloorState;
  'chat:send': ChatMessage;
  'reaction:send': ReactionCounts;
  'poll:open': PollView;
  'poll:answer': PollView;
  'poll:answerSite': PollView;
  'poll:close': PollView;
  'attendance:setHeadcount': Attendance;
  'attendance:export': { filename: string; csv: string };
  'site:setTier': SiteTiers;
  'source:open': ClassroomSource;
  'source:close': ClassroomSource[];
}

export type Ack<T> = { ok: true; data: T } | { ok: false; error: WireError };

/** Pushed by the server; names are past tense. */
export interface BroadcastMap {
  'lecture:updated': LectureInfo;
  'participant:joined': Participant;
  'participant:left': { participantId: string };
  'producer:added': ProducerInfo;
  /** `reason` 'media-lost': its worker died and its publisher is republishing (an outage, not an ending). */
  'producer:removed': { producerId: string; reason?: 'media-lost' };
  'producer:updated': { producerId: string; paused: boolean };
  'consumer:closed': { consumerId: string; producerId: string };
  'hands:updated': HandsView;
  'floor:updated': FloorState;
  'chat:posted': ChatMessage;
  'reaction:sent': { emoji: Reaction; site: string; displayName: string; counts: ReactionCounts };
  'poll:updated': PollView;
  'attendance:updated': Attendance;
  'tiers:updated': SiteTiers;
  /** To the lecturer and IT: every hardware source, with keys and health (about once a second while one runs). */
  'sources:updated': ClassroomSource[];
  /** To a classroom endpoint: what feeds its camera and microphone now (null: its own browser again). */
  'source:updated': { kind: SourceKind | null };
  /** What this participant's link carries now (it stepped down under congestion, or climbed back). */
  'media:reception': { mode: ReceptionMode };
  /**
   * This participant's media is gone (its media worker died) while signaling, hand and floor are
   * intact: send `media:restart`, then build transports, consumers and producers again.
   */
  'media:reset': { reason: 'worker-died' };
  /** This connection was replaced by a newer one with the same identity, and will close. */
  'session:replaced': Record<string, never>;
}
export type BroadcastName = keyof BroadcastMap;

/** Socket.IO event maps derived from the protocol, for server and client alike. */
export type ClientToServerEvents = {
  [N in RequestName]: (payload: RequestOf<N>, ack: (res: Ack<ResponseMap[N]>) => void) => void;
};
export type ServerToClientEvents = {
  [E in BroadcastName]: (payload: BroadcastMap[E]) => void;
};

export function isRequestName(name: string): name is RequestName {
  return Object.prototype.hasOwnProperty.call(requestSchemas, name);
}

/** Parses a payload; returns the value or the list of issues in `path: message` form. */
export function parseRequest<N extends RequestName>(
  name: N,
  payload: unknown,
): { ok: true; value: RequestOf<N> } | { ok: false; issues: string[] } {
  const result = requestSchemas[name].safeParse(payload);
  if (result.success) return { ok: true, value: result.data as RequestOf<N> };
  return {
    ok: false,
    issues: result.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`),
  };
}
