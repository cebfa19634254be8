/** The lectures open on this node: opened on first join, replaying other nodes' events, disposed once idle. */
import type { MediaNode, Role, Tier } from '@tongtang/shared';
import type { BusMessage, LectureBus } from '../../backplane/LectureBus.ts';
import type { Logger } from '../../logger.ts';
import type { Recordings } from '../../recording/Recordings.ts';
import type { Effect } from '../machine/machine.ts';
import { runEffects } from './effects.ts';
import { LectureRoom } from './LectureRoom.ts';
import { resyncRoom } from '../replay/resync.ts';
import type { LectureBackplane } from '../replay/sharedLecture.ts';

export interface LecturesOptions {
  maxSpeakers: number;
  /** Each role's quality ceiling, before any per-classroom override. */
  tierDefaults: Record<Role, Tier>;
  /** How long an empty lecture is kept (so a lecturer who reloads finds it as it was), where the backplane keeps any. */
  idleMs: number;
  /** How long a dropped connection keeps its participant's place (config.leaveGraceMs). */
  leaveGraceMs: number;
  /** Roles whose video plays out as soon as it is decoded (config.immediatePlayoutRoles). */
  immediatePlayoutRoles?: ReadonlySet<Role>;
  titleOf(lectureId: string): string;
}

export interface LecturesDeps {
  media: MediaNode;
  /** The store, the cascade and what this node does with lectures nobody here attends. */
  backplane: LectureBackplane;
  bus: LectureBus<Effect>;
  log: Logger;
  recordings?: Recordings;
}

export class Lectures {
  private readonly rooms = new Map<string, LectureRoom>();
  private readonly opening = new Map<string, Promise<LectureRoom>>();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();
  /** Remote events are replayed one at a time per lecture, in the order they arrived. */
  private readonly replay = new Map<string, Promise<void>>();

  constructor(
    private readonly deps: LecturesDeps,
    private readonly options: LecturesOptions,
  ) {
    deps.bus.subscribe((message) => this.onRemote(message));
  }

  get(lectureId: string): LectureRoom | undefined {
    return this.rooms.get(lectureId);
  }

  async getOrCreate(lectureId: string): Promise<LectureRoom> {
    this.cancelIdle(lectureId);
    const open = this.rooms.get(lectureId);
    if (open) return open;
    let pending = this.opening.get(lectureId);
    if (!pending) {
      const log = this.deps.log.child({ lectureId });
      const { recordings } = this.deps;
      pending = LectureRoom.open(lectureId, this.options.titleOf(lectureId), this.options.maxSpeakers, {
        store: this.deps.backplane.store, bus: this.deps.bus, cascade: this.deps.backplane.cascade, media: this.deps.media,
        nodeId: this.deps.backplane.nodeId, log, tierDefaults: this.options.tierDefaults,
        leaveGraceMs: this.options.leaveGraceMs,
        immediatePlayoutRoles: this.options.immediatePlayoutRoles,
        // The recorder observes effects after they ran and the stage after it changed.
        runEffects: recordings ? (room, effects) => runEffects(room, effects).finally(() => recordings.observe(room, effects)) : runEffects,
        onStageChanged: recordings ? (room) => recordings.stageChanged(room) : undefined,
        recordings,
      }).then((room) => {
        this.rooms.set(lectureId, room);
        log.info('lecture opened');
        return room;
      }).finally(() => this.opening.delete(lectureId));
      this.opening.set(lectureId, pending);
    }
    return pending;
  }

  all(): LectureRoom[] {
    return [...this.rooms.values()];
  }

  /** Sessions this node serves, over all lectures: its load. */
  sessionCount(): number {
    let n = 0;
    for (const room of this.rooms.values()) n += room.size;
    return n;
  }

  /** Called when a room may have become empty. */
  releaseIfIdle(room: LectureRoom): void {
    if (room.size > 0 || this.idleTimers.has(room.id)) return;
    const delay = room.info.state === 'ended' ? 0 : this.deps.backplane.idleKeepMs(this.options.idleMs);
    const timer = setTimeout(() => void this.dispose(room.id), delay);
    timer.unref();
    this.idleTimers.set(room.id, timer);
  }

  /** Repairs every open room from the store: after a Redis outage, and to clear out dead nodes. */
  async maintain(aliveNodes: ReadonlySet<string>, judgeDeadNodes: boolean): Promise<void> {
    if (!this.deps.backplane.store.healthy()) return;
    for (const room of this.rooms.values()) {
      await resyncRoom(room, aliveNodes, judgeDeadNodes).catch((err) => room.log.warn({ err }, 'resync failed'));
    }
  }

  async close(): Promise<void> {
    for (const id of [...this.rooms.keys()]) await this.dispose(id, true);
  }

  private onRemote(message: BusMessage<Effect>): void {
    const room = this.rooms.get(message.lectureId);
    if (!room) return;
    const previous = this.replay.get(room.id) ?? Promise.resolve();
    const next = previous
      .then(() => room.apply(message))
      .catch((err) => room.log.warn({ err, event: message.event.type }, 'replaying a remote event failed'));
    this.replay.set(room.id, next);
  }

  private cancelIdle(lectureId: string): void {
    const timer = this.idleTimers.get(lectureId);
    if (timer) clearTimeout(timer);
    this.idleTimers.delete(lectureId);
  }

  private async dispose(lectureId: string, shuttingDown = false): Promise<void> {
    this.cancelIdle(lectureId);
    const room = this.rooms.get(lectureId);
    if (!room || (room.size > 0 && !shuttingDown)) return;
    this.rooms.delete(lectureId);
    this.replay.delete(lectureId);
    // Other nodes close their ends of this node's pipes for the lecture.
    this.deps.bus.publish(lectureId, { type: 'pipeClosed', fromNode: this.deps.backplane.nodeId });
    // Ends this node's recording cleanly (ffmpeg writes its trailer) before the media goes.
    await this.deps.recordings?.stop(room).catch((err) => room.log.warn({ err }, 'stopping the recording failed'));
    await this.deps.media.closeLecture(lectureId).catch((err) => room.log.warn({ err }, 'closeLecture failed'));
    if (this.deps.backplane.forgetsClosedLectures) await this.deps.backplane.store.deleteLecture(lectureId);
    room.log.info('lecture closed on this node');
  }
}
