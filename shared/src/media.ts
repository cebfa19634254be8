/**
 * The only door between signaling and the SFU. Everything crossing it is plain, serialisable
 * data keyed by ids, so a media node can live in this process today and behind an RPC later.
 * mediasoup-specific structures stay `unknown` here; the SFU validates them.
 */
import { AppError } from './errors.ts';
import type { ConsumerOptions, LectureStats, MediaKind, MediaSource, SourceHealth, SourceKind, TransportOptions } from './domain.ts';

export interface ProduceRequest {
  lectureId: string;
  peerId: string;
  transportId: string;
  kind: MediaKind;
  source: MediaSource;
  rtpParameters: unknown;
}

export interface ConsumeRequest {
  lectureId: string;
  peerId: string;
  producerId: string;
  /**
   * 'immediate': the receiver renders video frames as soon as they are decoded (no playout
   * smoothing), for the lowest latency; default 'smooth'.
   */
  playout?: 'smooth' | 'immediate';
}

/** Where one end of a pipe between two media nodes listens. */
export interface PipeEndpoint {
  ip: string;
  port: number;
}

/** A producer sent down a pipe to another node, with what the receiving node needs to re-create it. */
export interface ExportedProducer {
  producerId: string;
  kind: MediaKind;
  source: MediaSource;
  rtpParameters: unknown;
  paused: boolean;
}

/** Record one producer, without re-encoding, into `dir` as `<stem>-<segment>.<ext>` plus a JSON sidecar each. */
export interface RecordTrackRequest {
  lectureId: string;
  producerId: string;
  dir: string;
  stem: string;
  /** Copied into every sidecar (who, which source...). */
  meta: Record<string, string | number | null>;
}

/** A pre-join connectivity check: a throwaway transport with a data channel and no media. */
export interface ProbeOptions extends TransportOptions {
  sctpParameters: unknown;
  routerRtpCapabilities: unknown;
  /** The transport closes by itself after this long. */
  ttlMs: number;
}

/** A recording's replay, as `<recording>/replay/compose.json` keeps it. */
export interface ReplayStatus {
  state: 'composing' | 'ready' | 'failed';
  /** Waiting for another composition on this node to finish. */
  queued: boolean;
  /** 0..1 of the video encoded. */
  progress: number;
  reason: string | null;
  /** Wall-clock time of the video's first frame: an event at `at` is at `at - videoStartedAt` in the video. */
  videoStartedAt: number | null;
  durationMs: number | null;
  /** Where a track's recorder died and came back (video time, ms). */
  gaps: { fromMs: number; toMs: number; track: string }[];
  chapters: number;
  /** Video duration over the time composition took. */
  speed: number | null;
  startedAt: number;
  /** Last written (a composition whose status stops changing was interrupted). */
  updatedAt: number;
  /** The process composing it: when it is gone and the state still says composing, it was interrupted. */
  owner: { host: string; pid: number };
  finishedAt: number | null;
}

/** The producers a hardware source feeds: the classroom's room camera and room microphone (paused until opened). */
export interface SourceProducers {
  videoProducerId: string;
  /** Absent for a WHIP publish that sends no audio. */
  audioProducerId?: string;
}

/** Refuses a camera URL the gateway cannot pull (BAD_REQUEST), before anything is touched. */
export function checkCameraUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('BAD_REQUEST', 'the camera URL is not a URL');
  }
  if (parsed.protocol !== 'rtsp:' && parsed.protocol !== 'rtsps:') throw new AppError('BAD_REQUEST', 'the camera URL must start with rtsp:// or rtsps://');
}

/** A WHIP client's publish, taken: the answer to send back and the resource to DELETE later. */
export interface WhipAnswer extends SourceProducers {
  answerSdp: string;
  resourceId: string;
}

/**
 * The media gateway of a node: a partner classroom's hardware brought in as producers of one
 * media peer (`slot`), which signaling then registers as the classroom endpoint's own. One source
 * per slot: opening another replaces it (and revokes its key).
 */
export interface MediaGatewayPort {
  /** Starts an RTMP listener for the slot; the encoder pushes to `url`/`key`. */
  openRtmp(lectureId: string, slot: string): Promise<SourceProducers & { url: string; key: string }>;
  /** Pulls an IP camera, reconnecting with back-off; BAD_REQUEST for a URL that is not rtsp://. */
  pullRtsp(lectureId: string, slot: string, url: string): Promise<SourceProducers>;
  /** Takes a WHIP (RFC 9725) offer as the slot's source, no transcoding; BAD_REQUEST for an offer it cannot take. */
  publishWhip(lectureId: string, slot: string, offerSdp: string): Promise<WhipAnswer>;
  /** Ends a WHIP publish if it is still the slot's source (a stale DELETE ends nothing newer). */
  closeWhip(lectureId: string, slot: string, resourceId: string): boolean;
  /** The room microphone follows the floor: on while the classroom holds it. */
  setMicrophone(lectureId: string, slot: string, on: boolean): Promise<void>;
  /** Stops the source (revokes the key); its producers close. Safe to call twice. */
  close(lectureId: string, slot: string): void;
}

export interface MediaNodeEvents {
  /**
   * A producer ended on the media side (its transport closed, DTLS failed, worker died...).
   * `workerDied`: its worker crashed; its owner is told through peersLostMedia and republishes.
   */
  producerClosed: { lectureId: string; producerId: string; workerDied: boolean };
  /** A consumer ended on the media side (its producer closed, its transport closed...). */
  consumerClosed: { lectureId: string; peerId: string; consumerId: string; producerId: string };
  /**
   * A layered video consumer's sending layer changed. `spatialLayer` null with `starved`: nothing
   * is sent because the receiver's link cannot carry even the lowest layer (not a pause).
   */
  consumerLayers: { lectureId: string; peerId: string; consumerId: string; producerId: string; spatialLayer: number | null; starved: boolean };
  /** A worker died; the lectures it carried lost media for the listed peers. */
  peersLostMedia: { lectureId: string; peerIds: string[] };
  /** A track's recorder gave up (ffmpeg kept failing without writing: disk full, directory gone...). */
  recordingFailed: { lectureId: string; producerId: string; message: string };
  /** A hardware source's health changed or was measured again (about once a second). */
  sourceHealth: { lectureId: string; slot: string; health: SourceHealth & { kind: SourceKind } };
}

export type MediaNodeListener<E extends keyof MediaNodeEvents> = (event: MediaNodeEvents[E]) => void;

export interface WorkerHealth {
  pid: number;
  alive: boolean;
  /** Alive but not answering the watchdog: new lectures avoid it; replaced if it stays so. */
  hung: boolean;
  routers: number;
  consumers: number;
  /** From the watchdog's last answer (null before the first): cumulative CPU and peak memory. */
  cpuUserMs: number | null;
  cpuSystemMs: number | null;
  maxRssKb: number | null;
}

export interface MediaNodeHealth {
  /** Every worker slot has a live worker that answers. */
  ready: boolean;
  workers: WorkerHealth[];
}

export interface MediaNode {
  /** Codecs the lecture's routers speak (creates the lecture's media on first use). */
  getRouterRtpCapabilities(lectureId: string): Promise<unknown>;
  /** Remembers what a peer can receive; needed before consume. */
  setPeerCapabilities(lectureId: string, peerId: string, rtpCapabilities: unknown): Promise<void>;
  createTransport(lectureId: string, peerId: string, direction: 'send' | 'recv'): Promise<TransportOptions>;
  connectTransport(lectureId: string, peerId: string, transportId: string, dtlsParameters: unknown): Promise<void>;
  restartIce(lectureId: string, peerId: string, transportId: string): Promise<unknown>;
  produce(req: ProduceRequest): Promise<{ producerId: string }>;
  closeProducer(lectureId: string, producerId: string): Promise<void>;
  setProducerPaused(lectureId: string, producerId: string, paused: boolean): Promise<void>;
  /** Creates a consumer on the peer's receive transport, paused; resume once the client has it. */
  consume(req: ConsumeRequest): Promise<ConsumerOptions>;
  setConsumerPaused(lectureId: string, peerId: string, consumerId: string, paused: boolean): Promise<void>;
  setPreferredLayers(lectureId: string, peerId: string, consumerId: string, spatialLayer: number, temporalLayer?: number): Promise<void>;
  closeConsumer(lectureId: string, peerId: string, consumerId: string): Promise<void>;
  /** Closes everything a peer opened. Safe to call twice. */
  closePeer(lectureId: string, peerId: string): Promise<void>;
  closeLecture(lectureId: string): Promise<void>;
  lectureStats(lectureId: string): Promise<Omit<LectureStats, 'participants'>>;
  /** Opens a connectivity check on the ports participants' media uses (no lecture, no token). */
  createProbe(): Promise<ProbeOptions>;
  connectProbe(probeId: string, dtlsParameters: unknown): Promise<void>;
  /** Records a producer (idempotent); UNAVAILABLE with the reason when `dir` cannot be written. */
  startRecording(req: RecordTrackRequest): Promise<void>;
  /** Ends a producer's recording cleanly; a no-op when none runs. */
  stopRecording(lectureId: string, producerId: string): Promise<void>;
  /**
   * Queues a finished recording folder for composition into its replay (one at a time per node;
   * asking again for one already queued joins it). Resolves when it is ready or failed.
   */
  composeRecording(dir: string): Promise<ReplayStatus>;
  health(): MediaNodeHealth;
  /** Absent where the node brings in no hardware (then classroom sources are UNAVAILABLE). */
  readonly gateway?: MediaGatewayPort;
  on<E extends keyof MediaNodeEvents>(event: E, listener: MediaNodeListener<E>): void;
  off<E extends keyof MediaNodeEvents>(event: E, listener: MediaNodeListener<E>): void;
  close(): Promise<void>;
}

/**
 * A media node that can cascade: carry a lecture's producers to and from other nodes over pipe
 * transports, so each node serves its own receivers. Node B wants producer P of node A:
 *   B: epB = openPipe(L, 'A')
 *   A: epA = openPipe(L, 'B'); connectPipe(L, 'B', epB); x = exportProducer(L, 'B', P)
 *   B: connectPipe(L, 'A', epA); importProducer(L, 'A', x)   → P can now be consumed on B
 * One pipe per lecture and pair of nodes carries every producer between them.
 */
export interface CascadingMediaNode extends MediaNode {
  /** Opens (or returns) this node's end of the lecture's pipe to a remote node. */
  openPipe(lectureId: string, remoteNodeId: string): Promise<PipeEndpoint>;
  /** Points this node's end of the pipe at the remote end; a no-op once connected. */
  connectPipe(lectureId: string, remoteNodeId: string, remote: PipeEndpoint): Promise<void>;
  /** Sends a local producer down the pipe to a remote node (idempotent per producer and node). */
  exportProducer(lectureId: string, remoteNodeId: string, producerId: string): Promise<ExportedProducer>;
  /** Re-creates an exported producer here under the same id, ready to consume (idempotent). */
  importProducer(lectureId: string, remoteNodeId: string, exported: ExportedProducer): Promise<void>;
  /** Whether a producer (local or imported) exists here. */
  hasProducer(lectureId: string, producerId: string): boolean;
  /** Closes the lecture's pipe to a remote node and every producer imported through it. */
  closePipe(lectureId: string, remoteNodeId: string): Promise<void>;
}
