/**
 * One lecture on this node: who is connected, which producers exist, and what each participant
 * has been told it may receive. Interaction state (hands, floor, polls...) lives in the pure
 * ClassState machine; the room runs its effects (broadcasts, media changes).
 */
import {
  AppError, type BroadcastMap, type BroadcastName, type LectureInfo, type MediaNode, type Participant,
  type ProducerInfo, type Role,
} from '../../../shared/src/index.ts';
import type { Logger } from '../logger.ts';
import { apply, initialClassState, type ClassState, type Command, type Effect } from './classroom.ts';
import type { Session } from './Session.ts';
import { canReceive, type StageContext } from './visibility.ts';

interface ProducerRecord {
  info: ProducerInfo;
  peerId: string;
}

export type EffectRunner = (room: LectureRoom, effects: Effect[]) => Promise<void>;

/** Students are many: they are not sent the whole roster, only the lecturer and the sites. */
export function seesRoster(role: Role): boolean {
  return role !== 'student';
}

export class LectureRoom {
  info: LectureInfo;
  classState: ClassState;
  readonly classroomNames: Record<string, string> = {};
  private readonly sessions = new Map<string, Session>();
  private readonly producerRecords = new Map<string, ProducerRecord>();

  constructor(
    id: string,
    title: string,
    maxSpeakers: number,
    readonly media: MediaNode,
    readonly log: Logger,
    private readonly runEffects: EffectRunner,
  ) {
    this.info = { id, title, state: 'scheduled', startedAt: null, endedAt: null, maxSpeakers };
    this.classState = initialClassState(maxSpeakers);
  }

  get id(): string {
    return this.info.id;
  }

  get size(): number {
    return this.sessions.size;
  }

  allSessions(): Session[] {
    return [...this.sessions.values()];
  }

  session(participantId: string): Session | undefined {
    return this.sessions.get(participantId);
  }

  participants(): Participant[] {
    return this.allSessions().map((s) => s.participant);
  }

  /** The roster one viewer gets: everyone for staff and sites, the non-students for students. */
  rosterFor(viewer: Session): Participant[] {
    const all = this.participants();
    return seesRoster(viewer.participant.role) ? all : all.filter((p) => p.role !== 'student');
  }

  /** Adds a session; a previous session of the same participant is returned for the caller to close. */
  attach(session: Session): Session | undefined {
    const previous = this.sessions.get(session.id);
    this.sessions.set(session.id, session);
    const { classroomId } = session.participant;
    if (session.participant.role === 'classroom' && classroomId) {
      this.classroomNames[classroomId] = session.participant.displayName;
    }
    if (!previous) this.broadcastJoin(session.participant);
    return previous;
  }

  /** Removes a session and everything it published; no-op when a newer session replaced it. */
  async detach(session: Session, now = Date.now()): Promise<void> {
    session.closed = true;
    for (const producerId of [...session.producers]) this.forgetProducer(producerId);
    await this.media.closePeer(this.id, session.peerId).catch((err) => session.log.warn({ err }, 'closePeer failed'));
    if (this.sessions.get(session.id) !== session) {
      await this.syncVisibility();
      return;
    }
    this.sessions.delete(session.id);
    for (const s of this.sessions.values()) {
      if (seesRoster(s.participant.role) || session.participant.role !== 'student') {
        s.emit('participant:left', { participantId: session.id });
      }
    }
    await this.dispatch({ type: 'participant.left', participantId: session.id, now });
    await this.syncVisibility();
  }

  /** Runs an interaction command through the state machine, then its effects. */
  async dispatch(cmd: Command): Promise<Effect[]> {
    const { state, effects } = apply(this.classState, cmd);
    this.classState = state;
    await this.runEffects(this, effects);
    return effects;
  }

  stage(): StageContext {
    return {
      live: this.info.state === 'live',
      speakers: new Set(this.classState.speakers.map((s) => s.participantId)),
    };
  }

  producer(producerId: string): ProducerRecord | undefined {
    return this.producerRecords.get(producerId);
  }

  producersOf(participantId: string): ProducerInfo[] {
    return [...this.producerRecords.values()].filter((r) => r.info.participantId === participantId).map((r) => r.info);
  }

  visibleProducers(viewer: Session): ProducerInfo[] {
    const ctx = this.stage();
    return [...this.producerRecords.values()]
      .filter((r) => this.sessions.has(r.info.participantId))
      .filter((r) => canReceive(viewer.participant, { participant: this.ownerOf(r), source: r.info.source }, ctx))
      .map((r) => r.info);
  }

  addProducer(owner: Session, info: ProducerInfo): void {
    this.producerRecords.set(info.id, { info, peerId: owner.peerId });
    owner.producers.add(info.id);
  }

  /** Drops a producer from the room and tells everyone who knew of it. Media closes it separately. */
  forgetProducer(producerId: string): void {
    const record = this.producerRecords.get(producerId);
    if (!record) return;
    this.producerRecords.delete(producerId);
    const owner = this.sessions.get(record.info.participantId);
    // The owner hears it too: the server may close a producer on its own (floor revoked,
    // camera stopped by the lecturer), and the client must then stop its local track.
    if (owner?.producers.delete(producerId)) owner.emit('producer:removed', { producerId });
    for (const s of this.sessions.values()) {
      if (s.announced.delete(producerId)) s.emit('producer:removed', { producerId });
    }
  }

  /** Closes a producer on the media node and in the room. */
  async closeProducer(producerId: string): Promise<void> {
    this.forgetProducer(producerId);
    await this.media.closeProducer(this.id, producerId).catch((err) => this.log.debug({ err, producerId }, 'producer already closed'));
  }

  setProducerPaused(producerId: string, paused: boolean): void {
    const record = this.producerRecords.get(producerId);
    if (!record) return;
    record.info = { ...record.info, paused };
    for (const s of this.sessions.values()) {
      if (s.announced.has(producerId)) s.emit('producer:updated', { producerId, paused });
    }
  }

  /**
   * Re-runs the receive rules for every participant and producer: announces what became
   * visible, withdraws what stopped being visible (closing the consumers of it). Called after
   * anything that changes the stage: a new producer, going live, a floor change, a departure.
   */
  async syncVisibility(): Promise<void> {
    const ctx = this.stage();
    const closing: Promise<void>[] = [];
    for (const viewer of this.sessions.values()) {
      if (viewer.closed) continue;
      for (const record of this.producerRecords.values()) {
        if (!this.sessions.has(record.info.participantId)) continue;
        const visible = canReceive(viewer.participant, { participant: this.ownerOf(record), source: record.info.source }, ctx);
        const known = viewer.announced.has(record.info.id);
        if (visible && !known) {
          viewer.announced.add(record.info.id);
          viewer.emit('producer:added', record.info);
        } else if (!visible && known) {
          viewer.announced.delete(record.info.id);
          viewer.emit('producer:removed', { producerId: record.info.id });
          for (const [consumerId, producerId] of viewer.consumers) {
            if (producerId !== record.info.id) continue;
            viewer.consumers.delete(consumerId);
            closing.push(this.media.closeConsumer(this.id, viewer.peerId, consumerId).catch(() => undefined));
          }
        }
      }
    }
    await Promise.all(closing);
  }

  setLectureState(next: LectureInfo['state'], now = Date.now()): LectureInfo {
    const from = this.info.state;
    const allowed = (from === 'scheduled' && next !== 'scheduled') || (from === 'live' && next === 'ended');
    if (!allowed) throw new AppError('CONFLICT', `the lecture is ${from} and cannot become ${next}`);
    this.info = {
      ...this.info,
      state: next,
      startedAt: next === 'live' ? now : this.info.startedAt,
      endedAt: next === 'ended' ? now : null,
    };
    this.broadcast('lecture:updated', this.info);
    return this.info;
  }

  broadcast<E extends BroadcastName>(event: E, payload: BroadcastMap[E], to?: (s: Session) => boolean): void {
    for (const s of this.sessions.values()) if (!to || to(s)) s.emit(event, payload);
  }

  private ownerOf(record: ProducerRecord): Participant {
    const session = this.sessions.get(record.info.participantId);
    if (!session) throw new AppError('INTERNAL', 'producer without owner');
    return session.participant;
  }

  private broadcastJoin(p: Participant): void {
    for (const s of this.sessions.values()) {
      if (s.id === p.id) continue;
      if (seesRoster(s.participant.role) || p.role !== 'student') s.emit('participant:joined', p);
    }
  }
}
