/**
 * Records lectures on this node: which producers are recorded (the lecturer's camera, screen and
 * microphone, and whatever the floor brings in while it holds the floor), the event log, the
 * recording status every participant sees. It only observes the lecture — effects after they ran,
 * the stage after it changed — so no other code needs to know that recording exists.
 */
import path from 'node:path';
import {
  AppError, RECORDING_IDLE, type HandEntry, type LectureInfo, type MediaNode, type ProducerInfo, type RecordingStatus,
} from '@tongtang/shared';
import type { Effect } from '../lecture/machine/machine.ts';
import type { LectureRoom } from '../lecture/room/LectureRoom.ts';
import type { Logger } from '../logger.ts';
import { eventsOf } from './effectEvents.ts';
import { EventLog } from './EventLog.ts';
import { interruptedRecordings, lastWrite, unfinishedCompositions } from './listing.ts';

export interface RecordingsOptions {
  /** RECORDINGS_DIR: each recording goes to <dir>/<lecture>/<start time>/. */
  dir: string;
  /** RECORD_AUTOMATICALLY: start recording when a lecture goes live. */
  automatic: boolean;
}

interface Active {
  room: LectureRoom;
  dir: string;
  log: EventLog;
  /** Producers being recorded, by id. */
  tracks: Set<string>;
  hands: HandEntry[];
  lectureState: LectureInfo['state'];
}

const PROGRAM_ROLES = new Set(['lecturer']);

export class Recordings {
  readonly #active = new Map<string, Active>();
  /** Lectures auto-started once: a lecturer who stops it is not overruled. */
  readonly #autoStarted = new Set<string>();
  /** Lectures whose recording is being stopped: their status still says recording meanwhile. */
  readonly #stopping = new Set<string>();
  /** Track changes run one at a time per lecture, in order. */
  readonly #queues = new Map<string, Promise<void>>();

  constructor(
    private readonly media: MediaNode,
    private readonly options: RecordingsOptions,
    private readonly log: Logger,
  ) {
    media.on('recordingFailed', ({ lectureId, message }) => {
      const active = this.#active.get(lectureId);
      if (active) void this.#fail(active, message);
    });
    // Recordings a stop or crash of this node cut short are closed, and replays it left unmade are made.
    try {
      for (const dir of interruptedRecordings(options.dir)) {
        EventLog.open(dir).write({ type: 'recording.stopped', reason: null, interrupted: 'the server stopped during the recording' }, lastWrite(dir));
        log.warn({ dir }, 'closed a recording the server stopped in the middle of');
      }
      for (const dir of unfinishedCompositions(options.dir)) this.#compose(dir);
    } catch (err) {
      log.warn({ err, dir: options.dir }, 'could not look for unfinished replays');
    }
  }

  /** Queues the replay's composition (one at a time on this node); its state shows in the listing. */
  #compose(dir: string): void {
    this.media.composeRecording(dir).then(
      (status) => this.log.info({ dir, state: status.state, reason: status.reason, speed: status.speed }, 'replay composition finished'),
      (err: unknown) => this.log.warn({ err, dir }, 'replay composition could not run'),
    );
  }

  /** Where a lecture's recordings live. */
  lectureDir(lectureId: string): string {
    return path.join(this.options.dir, safeName(lectureId));
  }

  async start(room: LectureRoom, now = Date.now()): Promise<LectureInfo> {
    if (room.info.state === 'ended') throw new AppError('CONFLICT', 'the lecture has ended');
    if (this.#active.has(room.id)) return room.info;
    const dir = path.join(this.lectureDir(room.id), new Date(now).toISOString().replace(/[:.]/g, '-'));
    let log: EventLog;
    try {
      log = EventLog.open(dir);
    } catch (err) {
      await room.dispatch({ type: 'recording.set', recording: { state: 'error', since: null, message: (err as Error).message } });
      throw err;
    }
    const active: Active = { room, dir, log, tracks: new Set(), hands: room.classState.hands, lectureState: room.info.state };
    this.#active.set(room.id, active);
    // A lecture already live is logged at its real start time, so the log stays in time order.
    if (room.info.state === 'live') log.write({ type: 'lecture.live' }, room.info.startedAt ?? now);
    log.write({ type: 'recording.started', lectureId: room.id, title: room.info.title }, now);
    room.log.info({ dir }, 'recording started');
    await room.dispatch({ type: 'recording.set', recording: { state: 'recording', since: now, message: null } });
    await this.#enqueue(room.id, () => this.#syncTracks(active));
    return room.info;
  }

  async stop(room: LectureRoom, status: RecordingStatus = RECORDING_IDLE): Promise<LectureInfo> {
    const active = this.#active.get(room.id);
    if (!active) {
      // `?.`: a lecture stored by a node from before recording existed has no status yet.
      if ((room.info.recording?.state ?? 'idle') !== status.state) await room.dispatch({ type: 'recording.set', recording: status });
      return room.info;
    }
    this.#active.delete(room.id);
    this.#stopping.add(room.id);
    try {
      await this.#finish(room, active, status);
    } finally {
      this.#stopping.delete(room.id);
    }
    return room.info;
  }

  async #finish(room: LectureRoom, active: Active, status: RecordingStatus): Promise<void> {
    await this.#enqueue(room.id, () => this.#stopTracks(active, [...active.tracks]));
    active.log.write({ type: 'recording.stopped', reason: status.message });
    room.log.info({ dir: active.dir, state: status.state }, 'recording stopped');
    // What was captured before a failure is composed too: the replay lists what is missing.
    this.#compose(active.dir);
    await room.dispatch({ type: 'recording.set', recording: status });
  }

  /** After effects ran (here or replayed from another node): what the event log keeps. */
  observe(room: LectureRoom, effects: readonly Effect[]): void {
    const active = this.#active.get(room.id);
    if (!active) return;
    for (const event of eventsOf(effects, room.classState, active.hands)) active.log.write(event);
    active.hands = room.classState.hands;
    if (active.log.failed) void this.#fail(active, 'the event log cannot be written (disk full?)');
  }

  /** After the stage changed: producers came or went, the floor changed, the lecture started or ended. */
  stageChanged(room: LectureRoom): void {
    const active = this.#active.get(room.id);
    const { state } = room.info;
    if (active && active.lectureState !== state) {
      active.lectureState = state;
      const at = (state === 'live' ? room.info.startedAt : room.info.endedAt) ?? Date.now();
      active.log.write({ type: state === 'live' ? 'lecture.live' : 'lecture.ended' }, at);
    }
    if (active && state === 'ended') {
      void this.stop(room).catch((err) => room.log.warn({ err }, 'stopping the recording failed'));
      return;
    }
    // One node records a lecture: the lecturer's. In a cluster the others only see the status.
    const lecturerHere = room.allSessions().some((s) => s.participant.role === 'lecturer');
    const status = room.info.recording?.state ?? 'idle';
    if (!active && state === 'live' && lecturerHere && this.options.automatic && !this.#autoStarted.has(room.id) && status === 'idle') {
      this.#autoStarted.add(room.id);
      void this.start(room).catch((err) => room.log.warn({ err }, 'automatic recording could not start'));
      return;
    }
    // The lecture says it is being recorded but nothing records it here: this node restarted
    // mid-lecture (the status outlived it in the cluster's store). The lecturer's node resumes.
    if (!active && state === 'live' && lecturerHere && status === 'recording' && !this.#stopping.has(room.id)) {
      void this.start(room).catch((err) => room.log.warn({ err }, 'recording could not resume'));
      return;
    }
    if (active) void this.#enqueue(room.id, () => this.#syncTracks(active));
  }

  /** The lecture's producers to record: the program's and the floor's, on whichever node they live. */
  #wanted(room: LectureRoom): ProducerInfo[] {
    const onFloor = new Set(room.classState.speakers.map((s) => s.participantId));
    return room.producers()
      .filter((e) => PROGRAM_ROLES.has(e.info.role) || onFloor.has(e.info.participantId))
      .map((e) => e.info);
  }

  async #syncTracks(active: Active): Promise<void> {
    if (this.#active.get(active.room.id) !== active) return;
    const { room } = active;
    const wanted = this.#wanted(room);
    const ids = new Set(wanted.map((p) => p.id));
    await this.#stopTracks(active, [...active.tracks].filter((id) => !ids.has(id)));
    for (const p of wanted) {
      if (active.tracks.has(p.id)) continue;
      active.tracks.add(p.id);
      const stem = `${p.source}-${safeName(p.participantId)}-${p.id.slice(0, 8)}`;
      const meta = { participantId: p.participantId, displayName: p.displayName, role: p.role, source: p.source, site: room.participant(p.participantId)?.classroomId ?? null };
      try {
        // A producer on another node of the cluster comes here over the media cascade first.
        const entry = room.producer(p.id);
        if (entry) await room.ensureLocalProducer(entry);
        await this.media.startRecording({ lectureId: room.id, producerId: p.id, dir: active.dir, stem, meta });
        active.log.write({ type: 'track.started', producerId: p.id, stem, ...meta });
      } catch (err) {
        active.tracks.delete(p.id);
        if (err instanceof AppError && err.code === 'UNAVAILABLE') {
          // Not awaited: stopping queues behind this very task.
          void this.#fail(active, err.message);
          return;
        }
        room.log.debug({ err, producerId: p.id }, 'track not recorded (producer gone?)');
      }
    }
  }

  async #stopTracks(active: Active, ids: string[]): Promise<void> {
    await Promise.all(ids.map(async (id) => {
      active.tracks.delete(id);
      await this.media.stopRecording(active.room.id, id).catch(() => undefined);
      active.log.write({ type: 'track.stopped', producerId: id });
    }));
  }

  #fail(active: Active, message: string): Promise<unknown> {
    this.log.warn({ lectureId: active.room.id, message }, 'recording failed');
    return this.stop(active.room, { state: 'error', since: null, message }).catch(() => undefined);
  }

  #enqueue(lectureId: string, task: () => Promise<unknown>): Promise<void> {
    const next = (this.#queues.get(lectureId) ?? Promise.resolve()).then(task).then(() => undefined, (err: unknown) => {
      this.log.warn({ err, lectureId }, 'recording task failed');
    });
    this.#queues.set(lectureId, next);
    return next;
  }
}

/** Ids come from tokens: keep them to characters safe in a path. */
export function safeName(id: string): string {
  const safe = id.replace(/[^A-Za-z0-9_.-]/g, '_');
  return /^\.*$/.test(safe) ? '_' : safe;
}
