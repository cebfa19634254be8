/**
 * Partner classrooms' hardware in one lecture on this node: an RTMP encoder or an IP camera
 * standing in for the classroom endpoint's (projector PC's) own camera and microphone. One site,
 * two parts: the projector PC joins as today and receives the lecture; the gateway's producers
 * are registered as that endpoint's, so the wall, the floor relay and recording treat them as
 * the classroom's. The room microphone is paused except while the classroom holds the floor.
 *
 * Keys and camera URLs are shown to the lecturer and IT only (`sources:updated`); the classroom
 * endpoint is told only which kind of source feeds it (`source:updated`), so it stops publishing
 * its own camera. A WHIP source is a key and an endpoint until its client publishes
 * (http/whip.ts), and again after the client hangs up: the encoder may come back.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  AppError, checkCameraUrl, type ClassroomSource, type MediaGatewayPort, type Participant, type SourceHealth, type SourceKind, type SourceProducers,
  type WhipAnswer,
} from '@tongtang/shared';
import type { LectureRoom } from '../lecture/room/LectureRoom.ts';
import { seesSources } from '../lecture/machine/audience.ts';
import { maskUrl } from './maskUrl.ts';

export type SourceRequest = { kind: 'rtmp' } | { kind: 'rtsp'; url: string } | { kind: 'whip' };

interface SourceRecord {
  view: ClassroomSource;
  slot: string;
  /** What the gateway feeds now; null for a WHIP source whose client is not publishing. */
  producers: SourceProducers | null;
  /** A WHIP publish is being taken: one at a time. */
  publishing: boolean;
  /** Whether the room microphone is open (the classroom holds the floor, unmuted). */
  micOn: boolean;
  /** Floor changes reach the gateway one at a time, in order. */
  micQueue: Promise<void>;
}

const WAITING: SourceHealth = { state: 'waiting', fps: 0, bitrateKbps: 0, keyFrameSeconds: null, reconnects: 0, lastError: null };

/** The gateway's media peer for a classroom endpoint: never one of its browser peers. */
export function slotOf(participantId: string): string {
  return `${participantId}~hw`;
}

export class RoomSources {
  readonly #room: LectureRoom;
  readonly #records = new Map<string, SourceRecord>();
  /** Classrooms whose source is being set up: a burst of requests for one starts one. */
  readonly #pending = new Set<string>();

  constructor(room: LectureRoom) {
    this.#room = room;
  }

  list(): ClassroomSource[] {
    return [...this.#records.values()].map((r) => r.view);
  }

  /** The kind of hardware feeding a classroom endpoint, or null (it publishes its own camera). */
  kindFor(participantId: string): SourceKind | null {
    for (const r of this.#records.values()) if (r.view.participantId === participantId) return r.view.kind;
    return null;
  }

  async open(classroomId: string, request: SourceRequest): Promise<ClassroomSource> {
    const room = this.#room;
    const gateway = this.#gateway();
    if (room.info.state === 'ended') throw new AppError('CONFLICT', 'the lecture has ended');
    const endpoint = this.#endpoint(classroomId);
    // Bad input is refused before the classroom's running source is touched.
    if (request.kind === 'rtsp') checkCameraUrl(request.url);
    if (this.#pending.has(classroomId)) throw new AppError('CONFLICT', 'this classroom\'s source is already being set up');
    this.#pending.add(classroomId); // no await between the check and this line
    try {
      await this.#drop(classroomId);
      // The hardware replaces the projector PC's own camera and microphone.
      for (const p of room.producersOf(endpoint.id)) if (p.via === undefined && p.source !== 'screen') await room.closeProducer(p.id);
      const slot = slotOf(endpoint.id);
      let view: ClassroomSource;
      let producers: SourceProducers | null = null;
      if (request.kind === 'rtmp') {
        const { url, key, ...ids } = await gateway.openRtmp(room.id, slot);
        producers = ids;
        view = { classroomId, participantId: endpoint.id, kind: 'rtmp', ingestUrl: url, key, cameraUrl: null, health: WAITING };
      } else if (request.kind === 'whip') {
        // The endpoint is on this server (the page prefixes its own origin); the key is the bearer token.
        const key = randomBytes(24).toString('base64url');
        view = { classroomId, participantId: endpoint.id, kind: 'whip', ingestUrl: `/whip/${room.id}/${classroomId}`, key, cameraUrl: null, health: WAITING };
      } else {
        producers = await gateway.pullRtsp(room.id, slot, request.url);
        view = { classroomId, participantId: endpoint.id, kind: 'rtsp', ingestUrl: null, key: null, cameraUrl: maskUrl(request.url), health: WAITING };
      }
      // The lecture may have ended while the gateway worked (re-read: the await changed it).
      if ((room.info.state as string) === 'ended') {
        gateway.close(room.id, slot);
        throw new AppError('CONFLICT', 'the lecture ended while the source was being set up');
      }
      const record: SourceRecord = { view, slot, producers, publishing: false, micOn: false, micQueue: Promise.resolve() };
      this.#records.set(classroomId, record);
      if (producers) await this.#register(record, producers);
      this.#announce(endpoint.id);
      return view;
    } catch (err) {
      this.#announce(endpoint.id); // the old source may be gone: everyone learns what feeds the room now
      throw err;
    } finally {
      this.#pending.delete(classroomId);
    }
  }

  /** Stops a classroom's source (its key stops working); the projector PC publishes its own camera again. */
  async close(classroomId: string): Promise<void> {
    const record = this.#records.get(classroomId);
    if (!record) throw new AppError('NOT_FOUND', `classroom ${classroomId} has no hardware source`);
    await this.#drop(classroomId);
    this.#announce(record.view.participantId);
  }

  async closeAll(): Promise<void> {
    for (const classroomId of [...this.#records.keys()]) await this.#drop(classroomId);
  }

  /**
   * A WHIP client posts its offer with the source's key: the answer goes back to it, and its
   * producers become the classroom's (replacing an earlier publish).
   */
  async publishWhip(classroomId: string, bearer: string, offerSdp: string): Promise<WhipAnswer> {
    const record = this.#whipRecord(classroomId, bearer);
    if (record.publishing) throw new AppError('CONFLICT', 'another publish for this classroom is being set up');
    record.publishing = true; // no await between the check and this line
    try {
      const answer = await this.#gateway().publishWhip(this.#room.id, record.slot, offerSdp);
      if (this.#records.get(classroomId) !== record) {
        this.#gateway().closeWhip(this.#room.id, record.slot, answer.resourceId);
        throw new AppError('CONFLICT', 'the classroom\'s source was disconnected meanwhile');
      }
      await this.#forgetProducers(record);
      record.view = { ...record.view, health: WAITING };
      await this.#register(record, answer);
      return answer;
    } finally {
      record.publishing = false;
    }
  }

  /** The WHIP client's DELETE: its publish ends; the source (key and endpoint) stays for its next one. */
  async closeWhip(classroomId: string, bearer: string, resourceId: string): Promise<void> {
    const record = this.#whipRecord(classroomId, bearer);
    if (!this.#gateway().closeWhip(this.#room.id, record.slot, resourceId)) throw new AppError('NOT_FOUND', 'no such WHIP resource (it ended, or a newer publish replaced it)');
    await this.#forgetProducers(record);
    this.#tellManagers();
  }

  /** The gateway measured a source again (or it ended on its own: a WHIP client hung up). */
  async healthChanged(slot: string, health: SourceHealth & { kind: SourceKind }): Promise<void> {
    const record = [...this.#records.values()].find((r) => r.slot === slot);
    if (!record) return;
    const { kind: _kind, ...rest } = health;
    if (rest.state === 'closed') {
      // Our own close forgets the record first; this is the source ending by itself.
      await this.#forgetProducers(record);
      record.view = { ...record.view, health: { ...WAITING, lastError: rest.lastError } };
    } else {
      record.view = { ...record.view, health: rest };
    }
    this.#tellManagers();
    // A source without frames shows as paused everywhere, never as a frozen picture.
    const paused = rest.state !== 'live';
    const camera = record.producers && this.#room.producer(record.producers.videoProducerId)?.info;
    if (camera && camera.paused !== paused) await this.#room.setProducerPaused(camera.id, paused);
  }

  /**
   * After any stage change: the room microphone is open exactly while its classroom holds the
   * floor unmuted; an ended lecture closes every source.
   */
  async stageChanged(): Promise<void> {
    const room = this.#room;
    if (room.info.state === 'ended') return this.closeAll();
    for (const record of this.#records.values()) {
      const speaker = room.classState.speakers.find((s) => s.participantId === record.view.participantId);
      const on = speaker !== undefined && !speaker.micMuted;
      if (on === record.micOn) continue;
      record.micOn = on;
      record.micQueue = record.micQueue.then(async () => {
        const audio = record.producers?.audioProducerId;
        if (this.#records.get(record.view.classroomId) !== record || audio === undefined) return; // replaced, or no microphone
        await this.#gateway().setMicrophone(room.id, record.slot, on);
        await room.setProducerPaused(audio, !on);
      }).catch((err) => room.log.warn({ err, classroomId: record.view.classroomId }, 'room microphone not switched'));
      await record.micQueue;
    }
  }

  #gateway(): MediaGatewayPort {
    const gateway = this.#room.media.gateway;
    if (!gateway) throw new AppError('UNAVAILABLE', 'this server brings in no classroom hardware');
    return gateway;
  }

  #endpoint(classroomId: string): Participant {
    const endpoint = this.#room.participants().find((p) => p.role === 'classroom' && p.classroomId === classroomId);
    if (endpoint) return endpoint;
    if (this.#room.classroomNames[classroomId] !== undefined) {
      throw new AppError('CONFLICT', 'the classroom\'s projector PC must be in the lecture before its hardware is connected');
    }
    throw new AppError('NOT_FOUND', `no classroom ${classroomId} in this lecture`);
  }

  #whipRecord(classroomId: string, bearer: string): SourceRecord {
    const record = this.#records.get(classroomId);
    if (!record || record.view.kind !== 'whip' || !record.view.key) throw new AppError('NOT_FOUND', 'this classroom takes no WHIP publish');
    const given = Buffer.from(bearer);
    const wanted = Buffer.from(record.view.key);
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) throw new AppError('TOKEN_INVALID', 'wrong WHIP key for this classroom');
    return record;
  }

  /** Registers the gateway's producers as the classroom endpoint's; the microphone then follows the floor. */
  async #register(record: SourceRecord, producers: SourceProducers): Promise<void> {
    const room = this.#room;
    const { participantId, kind: via } = record.view;
    const endpoint = room.participant(participantId);
    const owner = { participantId, role: 'classroom' as const, displayName: endpoint?.displayName ?? record.view.classroomId, via };
    record.producers = { ...producers };
    record.micOn = false;
    await room.addProducer(undefined, { ...owner, id: producers.videoProducerId, source: 'camera', kind: 'video', paused: true });
    if (producers.audioProducerId) await room.addProducer(undefined, { ...owner, id: producers.audioProducerId, source: 'microphone', kind: 'audio', paused: true });
    await room.syncVisibility(); // and stageChanged: the microphone opens if the classroom holds the floor
  }

  async #forgetProducers(record: SourceRecord): Promise<void> {
    const producers = record.producers;
    if (!producers) return;
    record.producers = null;
    await this.#room.forgetProducer(producers.videoProducerId);
    if (producers.audioProducerId) await this.#room.forgetProducer(producers.audioProducerId);
  }

  async #drop(classroomId: string): Promise<void> {
    const record = this.#records.get(classroomId);
    if (!record) return;
    this.#records.delete(classroomId);
    this.#gateway().close(this.#room.id, record.slot);
    await this.#forgetProducers(record);
  }

  /** Every source, with keys and health, to the lecturer and IT. */
  #tellManagers(): void {
    this.#room.broadcast('sources:updated', this.list(), (s) => seesSources(s.participant.role));
  }

  /** Tells IT and the lecturer the sources, and the classroom endpoint what feeds it now. */
  #announce(participantId: string): void {
    this.#tellManagers();
    this.#room.session(participantId)?.emit('source:updated', { kind: this.kindFor(participantId) });
  }
}
