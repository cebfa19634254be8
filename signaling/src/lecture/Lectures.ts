/** The lectures open on this node, created on first join and disposed of once idle. */
import type { MediaNode } from '../../../shared/src/index.ts';
import type { Logger } from '../logger.ts';
import { runEffects } from './effects.ts';
import { LectureRoom } from './LectureRoom.ts';

export interface LecturesOptions {
  maxSpeakers: number;
  /** How long an empty lecture is kept (so a lecturer who reloads finds it as it was). */
  idleMs: number;
  titleOf(lectureId: string): string;
}

export class Lectures {
  private readonly rooms = new Map<string, LectureRoom>();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly media: MediaNode,
    private readonly log: Logger,
    private readonly options: LecturesOptions,
  ) {}

  get(lectureId: string): LectureRoom | undefined {
    return this.rooms.get(lectureId);
  }

  getOrCreate(lectureId: string): LectureRoom {
    this.cancelIdle(lectureId);
    let room = this.rooms.get(lectureId);
    if (!room) {
      const log = this.log.child({ lectureId });
      room = new LectureRoom(lectureId, this.options.titleOf(lectureId), this.options.maxSpeakers, this.media, log, runEffects);
      this.rooms.set(lectureId, room);
      log.info('lecture opened');
    }
    return room;
  }

  all(): LectureRoom[] {
    return [...this.rooms.values()];
  }

  /** Called when a room may have become empty. */
  releaseIfIdle(room: LectureRoom): void {
    if (room.size > 0 || this.idleTimers.has(room.id)) return;
    const timer = setTimeout(() => void this.dispose(room.id), room.info.state === 'ended' ? 0 : this.options.idleMs);
    timer.unref();
    this.idleTimers.set(room.id, timer);
  }

  async close(): Promise<void> {
    for (const id of [...this.rooms.keys()]) await this.dispose(id);
  }

  private cancelIdle(lectureId: string): void {
    const timer = this.idleTimers.get(lectureId);
    if (timer) clearTimeout(timer);
    this.idleTimers.delete(lectureId);
  }

  private async dispose(lectureId: string): Promise<void> {
    this.cancelIdle(lectureId);
    const room = this.rooms.get(lectureId);
    if (!room || room.size > 0) return;
    this.rooms.delete(lectureId);
    await this.media.closeLecture(lectureId).catch((err) => room.log.warn({ err }, 'closeLecture failed'));
    room.log.info('lecture closed');
  }
}
