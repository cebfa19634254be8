/**
 * One lecture as seen from this node. Shared state (lecture info, hands, floor, polls...), the
 * roster and the producer registry live in the LectureStore and are cached here; sessions and
 * media are this node's own. The room owns its maps: every change is made here and published on
 * the bus, and what other nodes did enters through one door, `apply(message)`.
 */
import {
  AppError, RECORDING_IDLE, type BroadcastMap, type BroadcastName, type LectureInfo, type MediaNode, type MediaRestart, type Participant,
  type ProducerInfo, type Role, type SiteTiers, type Tier,
} from '@tongtang/shared';
import type { Cascade } from '../../backplane/Backplane.ts';
import type { BusMessage, LectureBus } from '../../backplane/LectureBus.ts';
import type { Logger } from '../../logger.ts';
import type { Recordings } from '../../recording/Recordings.ts';
import { RoomSources } from '../../sources/RoomSources.ts';
import type { LectureStore, ProducerEntry, Revised, RosterEntry } from '../../store/LectureStore.ts';
import { seesParticipant } from '../machine/audience.ts';
import { apply, initialClassState, type ClassState, type Command, type Effect } from '../machine/machine.ts';
import { consumerGone } from './receptionWatch.ts';
import type { Session } from './Session.ts';
import type { SharedLecture } from '../replay/sharedLecture.ts';
import { siteTiers, topLayerFor } from '../machine/tiers.ts';
import { canReceive, type StageContext } from '../machine/visibility.ts';

export type EffectRunner = (room: LectureRoom, effects: Effect[]) => Promise<void>;

export interface RoomDeps {
  store: LectureStore<SharedLecture>;
  bus: LectureBus<Effect>;
  media: MediaNode;
  nodeId: string;
  log: Logger;
  runEffects: EffectRunner;
  /** Producers of other nodes, and this node's copies of them (refuses where there are no others). */
  cascade: Cascade;
  /** Told after every stage change (producers, floor, lecture state): recording follows it. */
  onStageChanged?: (room: LectureRoom) => void;
  /** This node's recorder, for the recording requests (absent: this node does not record). */
  recordings?: Recordings;
  /** Each role's quality ceiling, before per-classroom overrides. */
  tierDefaults: Record<Role, Tier>;
  /** How long a dropped connection keeps its participant's place; absent or 0: none. */
  leaveGraceMs?: number;
  /** Roles whose video plays out as soon as it is decoded; absent: none. */
  immediatePlayoutRoles?: ReadonlySet<Role>;
}

export class LectureRoom {
  readonly media: MediaNode;
  readonly log: Logger;
  readonly nodeId: string;
  /** This node's sessions, by participant id. */
  private readonly sessions = new Map<string, Session>();
  /** Every participant of the lecture, on any node (cached from the store). */
  private readonly roster = new Map<string, RosterEntry>();
  /** Every producer of the lecture, on any node (cached from the store). */
  private readonly producerEntries = new Map<string, ProducerEntry>();
  /** Partner classrooms' hardware brought in on this node. */
  readonly sources: RoomSources;
  private shared: SharedLecture;
  /** The store's revision of `shared`. */
  private sharedRevision: number;
  /** Participants whose connection dropped, kept until their page comes back or the grace ends. */
  private readonly leaving = new Map<string, NodeJS.Timeout>();

  private constructor(
    { state, revision }: Revised<SharedLecture>,
    private readonly init: () => SharedLecture,
    readonly deps: RoomDeps,
  ) {
    this.shared = state;
    this.sharedRevision = revision;
    this.media = deps.media;
    this.log = deps.log;
    this.nodeId = deps.nodeId;
    this.sources = new RoomSources(this);
  }

  static async open(id: string, title: string, maxSpeakers: number, deps: RoomDeps): Promise<LectureRoom> {
    const init = (): SharedLecture => ({
      info: { id, title, state: 'scheduled', startedAt: null, endedAt: null, maxSpeakers, recording: RECORDING_IDLE },
      classState: initialClassState(maxSpeakers),
      classroomNames: {},
    });
    const room = new LectureRoom(await deps.store.load(id, init), init, deps);
    await room.reloadRegistries();
    return room;
  }

  get id(): string {
    return this.shared.info.id;
  }
  /** The store's revision of the shared state this node holds. */
  get revision(): number {
    return this.sharedRevision;
  }
  get info(): LectureInfo {
    return this.shared.info;
  }
  get classState(): ClassState {
    return this.shared.classState;
  }
  get classroomNames(): Record<string, string> {
    return this.shared.classroomNames;
  }
  /** Sessions on this node. */
  get size(): number {
    return this.sessions.size;
  }

  allSessions(): Session[] {
    return [...this.sessions.values()];
  }

  /** A session of this node. */
  session(participantId: string): Session | undefined {
    return this.sessions.get(participantId);
  }

  /** A participant connected to any node. */
  participant(participantId: string): Participant | undefined {
    return this.roster.get(participantId)?.participant;
  }

  /** Where a participant is connected (its node), if it is in the lecture. */
  rosterEntry(participantId: string): RosterEntry | undefined {
    return this.roster.get(participantId);
  }

  /** Who is in the lecture and on which node. */
  rosterEntries(): RosterEntry[] {
    return [...this.roster.values()];
  }

  participants(): Participant[] {
    return [...this.roster.values()].map((e) => e.participant);
  }

  rosterFor(viewer: Session): Participant[] {
    return this.participants().filter((p) => seesParticipant(viewer.participant.role, p));
  }

  /** Adds a session; a previous session of the same participant here is returned for the caller to close. */
  async attach(session: Session): Promise<Session | undefined> {
    clearTimeout(this.leaving.get(session.id));
    this.leaving.delete(session.id); // back within its grace: hand and floor were kept
    const previous = this.sessions.get(session.id);
    this.sessions.set(session.id, session);
    const entry: RosterEntry = { participant: session.participant, nodeId: this.nodeId };
    const known = this.roster.has(session.id);
    this.roster.set(session.id, entry);
    await this.deps.store.putParticipant(this.id, entry);
    const { role, classroomId, displayName } = session.participant;
    // A classroom endpoint names its classroom (skipped when the cached name is already that).
    if (role === 'classroom' && classroomId && this.classroomNames[classroomId] !== displayName) {
      await this.dispatch({ type: 'classroom.name', classroomId, name: displayName });
    }
    this.deps.bus.publish(this.id, { type: 'joined', entry });
    if (!known) this.emitJoined(session.participant);
    return previous;
  }

  /**
   * Removes a session and what it published; the participant leaves unless it continues elsewhere.
   * `graceMs` (a dropped connection): it stays in the lecture, hand and floor included, that long,
   * for its page to rejoin; what it published goes at once (the page publishes again on rejoin).
   */
  async detach(session: Session, now = Date.now(), graceMs = 0): Promise<void> {
    session.closed = true;
    for (const producerId of this.publishedBy(session)) await this.forgetProducer(producerId);
    await this.media.closePeer(this.id, session.peerId).catch((err) => session.log.warn({ err }, 'closePeer failed'));
    if (this.sessions.get(session.id) === session) {
      this.sessions.delete(session.id);
      if (graceMs > 0) this.holdPlace(session.id, graceMs);
      else await this.leaveUnlessBack(session.id, now);
    }
    await this.syncVisibility();
  }

  private holdPlace(participantId: string, graceMs: number): void {
    clearTimeout(this.leaving.get(participantId));
    const timer = setTimeout(() => {
      this.leaving.delete(participantId);
      void this.leaveUnlessBack(participantId).catch((err) => this.log.warn({ err, participantId }, 'leaving after the grace failed'));
    }, graceMs);
    timer.unref();
    this.leaving.set(participantId, timer);
  }

  private async leaveUnlessBack(participantId: string, now = Date.now()): Promise<void> {
    if (this.sessions.has(participantId)) return; // came back here
    // Only the node serving the newest connection removes the participant: after a reconnect
    // elsewhere, this late cleanup must not take its hand or floor away.
    const removed = await this.deps.store.removeParticipant(this.id, participantId, this.nodeId).catch(() => false);
    if (removed) await this.participantLeft(participantId, now);
  }


  /** Everything that follows a participant leaving the lecture for good. */
  async participantLeft(participantId: string, now = Date.now()): Promise<void> {
    const entry = this.roster.get(participantId);
    this.roster.delete(participantId);
    this.deps.bus.publish(this.id, { type: 'left', participantId, nodeId: entry?.nodeId ?? this.nodeId });
    if (entry) this.emitLeft(entry.participant);
    await this.dispatch({ type: 'participant.left', participantId, now });
  }

  /**
   * The one way to change the lecture's shared state: the command runs through the machine
   * atomically in the store, its effects go on the bus (other nodes reload the state and run
   * them for their sessions) and run here.
   */
  async dispatch(cmd: Command): Promise<Effect[]> {
    const { result: effects, revision } = await this.updateRevised((s) => {
      const next = apply(s, cmd);
      return { state: next.state, result: next.effects };
    });
    if (effects.length) this.deps.bus.publish(this.id, { type: 'effects', effects, revision });
    await this.deps.runEffects(this, effects);
    return effects;
  }

  /**
   * What another node did in this lecture, replayed for this node's sessions: the one way remote
   * changes enter the room. Messages of a lecture arrive one at a time, in order (Lectures).
   */
  async apply({ event, fromNode }: BusMessage<Effect>): Promise<void> {
    switch (event.type) {
      case 'effects':
        // Several changes in a row: the first reload brings the newest state, the rest need none.
        await this.reloadShared(event.revision);
        await this.deps.runEffects(this, event.effects);
        return;
      case 'joined': {
        const { participant } = event.entry;
        const known = this.roster.has(participant.id);
        this.roster.set(participant.id, event.entry);
        const local = this.sessions.get(participant.id);
        // The participant reconnected to another node: this older connection gives way.
        if (local && event.entry.nodeId !== this.nodeId) local.replaced('replaced by a connection on another node', { to: event.entry.nodeId });
        if (!known) this.emitJoined(participant);
        if (participant.role === 'classroom') await this.reloadShared(); // it may have named its classroom
        await this.syncVisibility();
        return;
      }
      case 'left': {
        const entry = this.roster.get(event.participantId);
        if (!entry || entry.nodeId !== event.nodeId) return; // it came back elsewhere meanwhile
        this.roster.delete(event.participantId);
        this.emitLeft(entry.participant);
        await this.syncVisibility();
        return;
      }
      case 'producerAdded':
        this.producerEntries.set(event.entry.info.id, event.entry);
        await this.syncVisibility();
        return;
      case 'producerRemoved':
        await this.forgetProducer(event.producerId);
        // Its copy here (if it was pulled over) goes too, and with it the local consumers.
        await this.closeImported(event.producerId);
        return;
      case 'producerPaused':
        await this.setProducerPaused(event.producerId, event.paused);
        await this.deps.cascade.pauseImported(this.id, event.producerId, event.paused);
        return;
      case 'pipeClosed':
        await this.deps.cascade.closeLink(this.id, fromNode);
        return;
    }
  }

  /**
   * A participant whose node is gone (or a stray entry of this node's): it leaves the lecture. Only
   * one node wins the removal from the store, so participant.left runs once; the others just
   * forget it and hear 'left' from the winner.
   */
  async dropOrphan(entry: RosterEntry): Promise<void> {
    const { id } = entry.participant;
    if (await this.deps.store.removeParticipant(this.id, id, entry.nodeId)) {
      this.log.info({ participantId: id, nodeId: entry.nodeId }, 'participant gone with its node');
      await this.participantLeft(id);
    } else {
      this.roster.delete(id);
    }
  }

  /** A producer whose node is gone leaves the lecture, with this node's copy of it. */
  async dropOrphanProducer(entry: ProducerEntry): Promise<void> {
    await this.deps.store.removeProducer(this.id, entry.info.id);
    await this.forgetProducer(entry.info.id);
    await this.closeImported(entry.info.id);
  }

  /** After the info changed (the lectureChanged effect, here or on another node): tell local sessions, end local media if ended. */
  async lectureInfoChanged(): Promise<void> {
    this.broadcast('lecture:updated', this.info);
    if (this.info.state === 'ended') {
      for (const session of this.sessions.values()) {
        for (const producerId of this.publishedBy(session)) await this.closeProducer(producerId);
      }
    }
    await this.syncVisibility();
  }

  /**
   * Brings the cached shared state up to date with the store's; returns whether it changed.
   * `revision` (another node's change): loads only when this node holds an older one. Without
   * it (self-repair): loads when the store holds any other revision, older ones included. If
   * the store lost the lecture (Redis restarted empty), this node's copy seeds it again.
   */
  async reloadShared(revision?: number): Promise<boolean> {
    if (revision !== undefined ? revision <= this.sharedRevision : (await this.deps.store.revision(this.id)) === this.sharedRevision) return false;
    const cached = this.shared;
    const loaded = await this.deps.store.load(this.id, () => cached, this.sharedRevision);
    // A reload that raced with a newer change of this node's own must not take it back.
    if (loaded.revision === this.sharedRevision || (revision !== undefined && loaded.revision < this.sharedRevision)) return false;
    this.shared = loaded.state;
    this.sharedRevision = loaded.revision;
    return true;
  }

  /** Writes this node's own sessions and producers to the store again (idempotent). */
  async republishLocal(): Promise<void> {
    for (const s of this.sessions.values()) await this.deps.store.putParticipant(this.id, { participant: s.participant, nodeId: this.nodeId });
    for (const e of this.producerEntries.values()) if (this.isLocal(e)) await this.deps.store.putProducer(this.id, e);
  }

  async reloadRegistries(): Promise<void> {
    const [roster, producers] = await Promise.all([this.deps.store.roster(this.id), this.deps.store.producers(this.id)]);
    this.roster.clear();
    for (const e of roster) this.roster.set(e.participant.id, e);
    for (const s of this.sessions.values()) this.roster.set(s.id, { participant: s.participant, nodeId: this.nodeId });
    this.producerEntries.clear();
    for (const e of producers) this.producerEntries.set(e.info.id, e);
  }

  stage(): StageContext {
    return { live: this.info.state === 'live', speakers: new Set(this.classState.speakers.map((s) => s.participantId)) };
  }

  producer(producerId: string): ProducerEntry | undefined {
    return this.producerEntries.get(producerId);
  }

  /** Every producer of the lecture, on any node. */
  producers(): ProducerEntry[] {
    return [...this.producerEntries.values()];
  }

  /** What a session's media peer published (not its classroom's hardware, nor a previous connection's). */
  private publishedBy(session: Session): string[] {
    return this.producers().filter((e) => this.isLocal(e) && e.peerId === session.peerId).map((e) => e.info.id);
  }

  producersOf(participantId: string): ProducerInfo[] {
    return [...this.producerEntries.values()].filter((e) => e.info.participantId === participantId).map((e) => e.info);
  }

  /** Quality ceilings: each role's, and the classrooms the lecturer or IT set apart. */
  get tiers(): SiteTiers {
    return siteTiers(this.classState, this.deps.tierDefaults);
  }

  /**
   * Sets the layers of a session's video consumers (or of one): what its client asked for
   * (the size it shows the video at), within its site's ceiling. A consumer of a single-layer
   * producer ignores it.
   */
  async applyLayers(session: Session, only?: string): Promise<void> {
    await Promise.all([...session.consumers].map(async ([consumerId, producerId]) => {
      if (only !== undefined && consumerId !== only) return;
      if (this.producerEntries.get(producerId)?.info.kind !== 'video') return;
      await this.media.setPreferredLayers(this.id, session.peerId, consumerId, this.layerFor(session, consumerId))
        .catch((err) => session.log.debug({ err, consumerId }, 'preferred layers not set (consumer gone?)'));
    }));
  }

  /** The client asks for a layer (the size it shows the video at): it gets it within its site's ceiling. */
  async preferLayers(session: Session, consumerId: string, spatialLayer: number, temporalLayer?: number): Promise<void> {
    session.requestedLayers.set(consumerId, spatialLayer);
    await this.media.setPreferredLayers(this.id, session.peerId, consumerId, this.layerFor(session, consumerId), temporalLayer);
  }

  /** What the client asked for, never above its site's ceiling (a raised ceiling gives it back). */
  private layerFor(session: Session, consumerId: string): number {
    const top = topLayerFor(this.classState, this.deps.tierDefaults, session.actor);
    return Math.min(session.requestedLayers.get(consumerId) ?? top, top);
  }

  /** How a session's page plays the video it receives (its role's setting). */
  playoutFor(session: Session): 'smooth' | 'immediate' {
    return this.deps.immediatePlayoutRoles?.has(session.participant.role) ? 'immediate' : 'smooth';
  }

  isLocal(entry: ProducerEntry): boolean {
    return entry.nodeId === this.nodeId;
  }

  visibleProducers(viewer: Session): ProducerInfo[] {
    const ctx = this.stage();
    return [...this.producerEntries.values()].filter((e) => this.visible(viewer, e, ctx)).map((e) => e.info);
  }

  /** `owner` absent: the media gateway's, which outlive the classroom endpoint's connections. */
  async addProducer(owner: Session | undefined, info: ProducerInfo): Promise<void> {
    const entry: ProducerEntry = { info, nodeId: this.nodeId, ...(owner ? { peerId: owner.peerId } : {}) };
    this.producerEntries.set(info.id, entry);
    await this.deps.store.putProducer(this.id, entry);
    this.deps.bus.publish(this.id, { type: 'producerAdded', entry });
  }

  /**
   * Starts a session's media afresh: what it published leaves the lecture, its media peer is
   * replaced, and it is told again what it receives. Signaling, hand and floor are untouched.
   */
  async restartMedia(session: Session): Promise<MediaRestart> {
    const oldPeer = session.peerId;
    for (const producerId of this.publishedBy(session)) await this.closeProducer(producerId);
    session.renewPeer();
    await this.media.closePeer(this.id, oldPeer).catch((err) => session.log.warn({ err }, 'closePeer failed'));
    // UNAVAILABLE while no worker is alive (one is being replaced): the client tries again.
    const routerRtpCapabilities = await this.media.getRouterRtpCapabilities(this.id);
    const producers = this.visibleProducers(session);
    for (const p of producers) session.announced.add(p.id);
    return { routerRtpCapabilities, producers };
  }

  /**
   * Drops a producer from the lecture and tells whoever knew of it. Media closes it separately.
   * `tellOwner` false: its owner learns otherwise (media:reset after a worker died) and keeps its track.
   */
  async forgetProducer(producerId: string, tellOwner = true): Promise<void> {
    const entry = this.producerEntries.get(producerId);
    if (!entry) return;
    this.producerEntries.delete(producerId);
    const owner = this.sessions.get(entry.info.participantId);
    // The owner hears it too: the server may close a producer on its own (floor revoked,
    // camera stopped by the lecturer), and the client must then stop its local track.
    if (owner && this.isLocal(entry) && entry.peerId === owner.peerId && tellOwner) owner.emit('producer:removed', { producerId });
    for (const s of this.sessions.values()) {
      if (s.announced.delete(producerId)) s.emit('producer:removed', tellOwner ? { producerId } : { producerId, reason: 'media-lost' });
    }
    if (this.isLocal(entry)) {
      this.deps.bus.publish(this.id, { type: 'producerRemoved', producerId });
      await this.deps.store.removeProducer(this.id, producerId).catch((err) => this.log.warn({ err, producerId }, 'producer registry not updated'));
    }
  }

  /** Closes a producer of this node (media and lecture); producers of other nodes are theirs to close. */
  async closeProducer(producerId: string): Promise<void> {
    const entry = this.producerEntries.get(producerId);
    if (!entry || !this.isLocal(entry)) return;
    await this.forgetProducer(producerId);
    await this.media.closeProducer(this.id, producerId).catch((err) => this.log.debug({ err, producerId }, 'producer already closed'));
  }

  /**
   * Pauses or resumes a producer of this node: the media node first, then the lecture (everyone
   * who knows of it, other nodes, the store). Another node's producer is its own node's to pause.
   */
  async pauseProducer(producerId: string, paused: boolean): Promise<void> {
    const entry = this.producerEntries.get(producerId);
    if (!entry || !this.isLocal(entry)) return;
    await this.media.setProducerPaused(this.id, producerId, paused);
    await this.setProducerPaused(producerId, paused);
  }

  /**
   * Records a producer's paused state in the lecture and tells whoever knows of it, when the media
   * is paused elsewhere: by the media gateway (hardware), or by the producer's own node.
   */
  async setProducerPaused(producerId: string, paused: boolean): Promise<void> {
    const entry = this.producerEntries.get(producerId);
    if (!entry) return;
    entry.info = { ...entry.info, paused };
    for (const s of this.sessions.values()) {
      if (s.announced.has(producerId)) s.emit('producer:updated', { producerId, paused });
    }
    if (this.isLocal(entry)) {
      this.deps.bus.publish(this.id, { type: 'producerPaused', producerId, paused });
      await this.deps.store.putProducer(this.id, entry);
    }
  }

  /** Closes the copy of another node's producer that the cascade brought here, if any. */
  async closeImported(producerId: string): Promise<void> {
    await this.deps.cascade.closeImported(this.id, producerId);
  }

  /** Makes sure a producer can be consumed here, pulling it over the cascade if it lives elsewhere. */
  async ensureLocalProducer(entry: ProducerEntry): Promise<void> {
    if (this.isLocal(entry)) return;
    await this.deps.cascade.pull(this.id, entry.nodeId, entry.info.id);
  }

  /**
   * Re-runs the receive rules for every local participant and every producer of the lecture:
   * announces what became visible, withdraws what stopped being visible (closing the consumers
   * of it). Called after anything that changes the stage.
   */
  async syncVisibility(): Promise<void> {
    const ctx = this.stage();
    const closing: Promise<void>[] = [];
    for (const viewer of this.sessions.values()) {
      if (viewer.closed) continue;
      for (const entry of this.producerEntries.values()) {
        const id = entry.info.id;
        const visible = this.visible(viewer, entry, ctx);
        const known = viewer.announced.has(id);
        if (visible && !known) {
          viewer.announced.add(id);
          viewer.emit('producer:added', entry.info);
        } else if (!visible && known) {
          viewer.announced.delete(id);
          viewer.emit('producer:removed', { producerId: id });
          for (const [consumerId, producerId] of viewer.consumers) {
            if (producerId !== id) continue;
            viewer.consumers.delete(consumerId);
            viewer.requestedLayers.delete(consumerId);
            consumerGone(viewer, consumerId);
            closing.push(this.media.closeConsumer(this.id, viewer.peerId, consumerId).catch(() => undefined));
          }
        }
      }
    }
    await Promise.all(closing);
    this.deps.onStageChanged?.(this);
    void this.sources.stageChanged().catch((err) => this.log.warn({ err }, 'classroom sources did not follow the stage'));
  }

  broadcast<E extends BroadcastName>(event: E, payload: BroadcastMap[E], to?: (s: Session) => boolean): void {
    for (const s of this.sessions.values()) if (!to || to(s)) s.emit(event, payload);
  }

  emitJoined(p: Participant): void {
    for (const s of this.sessions.values()) {
      if (s.id !== p.id && seesParticipant(s.participant.role, p)) s.emit('participant:joined', p);
    }
  }

  emitLeft(p: Participant): void {
    for (const s of this.sessions.values()) {
      if (seesParticipant(s.participant.role, p)) s.emit('participant:left', { participantId: p.id });
    }
  }

  private visible(viewer: Session, entry: ProducerEntry, ctx: StageContext): boolean {
    const owner = this.roster.get(entry.info.participantId)?.participant;
    return owner !== undefined && canReceive(viewer.participant, { participant: owner, source: entry.info.source }, ctx);
  }

  /** Writes a change through the store and holds its result here, with the revision it made. */
  private async updateRevised<T>(change: (s: SharedLecture) => { state: SharedLecture; result: T }): Promise<{ result: T; revision: number }> {
    const { state, result, revision } = await this.deps.store.update(this.id, this.init, change);
    this.shared = state;
    this.sharedRevision = revision;
    return { result, revision };
  }
}
