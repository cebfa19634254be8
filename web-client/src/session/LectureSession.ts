/**
 * One page's life in a lecture: the signaling connection, the join handshake (again after every
 * reconnect, since the server gives a reconnecting participant a fresh media peer), the lecture
 * state the views show, and the rules that turn floor changes into publishing. No React: the
 * views read the zustand stores below, tests read the same stores through the page's hooks.
 */
import { createStore, type StoreApi } from 'zustand';
import type {
  Attendance, ClassroomSource, FloorState, HandsView, LectureInfo, MediaSource, Participant, ProducerInfo, ReceptionMode, SiteTiers, SourceKind, Tier,
} from '@tongtang/shared';
import type { RequestOf } from '@tongtang/shared';
import { can } from '@tongtang/shared';
import { mediaProblemOf, type DeviceChoice } from '../media/devices.ts';
import { RoomClient, type MediaSnapshot } from '../media/RoomClient.ts';
import { errorCodeOf, type ClientErrorCode } from '../signal/RequestError.ts';
import { NodeDirectory } from '../signal/NodeDirectory.ts';
import { ConnectionState, SignalClient } from '../signal/SignalClient.ts';
import { Activity } from './Activity.ts';
import { NetworkMonitor } from './NetworkMonitor.ts';

/** Checked against the protocol's literal; importing the constant would pull zod into the page. */
const PROTOCOL_VERSION = 1 satisfies RequestOf<'lecture:join'>['protocolVersion'];

export type NoticeCode = ClientErrorCode | 'SESSION_REPLACED' | 'MEDIA_DENIED' | 'MEDIA_UNAVAILABLE';
export interface Notice { code: NoticeCode; message: string }

export interface SessionSnapshot {
  connection: ConnectionState;
  joined: boolean;
  self: Participant | null;
  lecture: LectureInfo | null;
  participants: readonly Participant[];
  hands: HandsView;
  floor: FloorState;
  attendance: Attendance | null;
  /** Quality ceilings (the lecturer and IT, who may change a classroom's); null for others. */
  tiers: SiteTiers | null;
  /** Partner classrooms' hardware sources with keys and health (the lecturer and IT); null for others. */
  sources: ClassroomSource[] | null;
  /** What our link carries of the lecture (the server steps us down under congestion and back up). */
  reception: ReceptionMode;
  /** A classroom endpoint fed by hardware: its camera and microphone come from there, not this browser. */
  roomSource: SourceKind | null;
  /** We will not reconnect: bad token, replaced by another tab, join refused. */
  fatal: Notice | null;
  /** The last action that failed, for a dismissible banner. */
  notice: Notice | null;
  /** The media server restarted under us: media is being rebuilt, signaling is fine. */
  mediaRecovering: boolean;
}

const EMPTY_MEDIA: MediaSnapshot = { producers: [], consumers: [], starting: [] };

export interface LectureSessionOptions {
  /** The devices the user chose; read whenever a camera or microphone opens. */
  devices?: () => DeviceChoice;
}

export class LectureSession {
  readonly signal: SignalClient;
  readonly store: StoreApi<SessionSnapshot>;
  /** Mirrors the current RoomClient's store, which is replaced on every (re)join. */
  readonly media: StoreApi<MediaSnapshot> = createStore<MediaSnapshot>()(() => EMPTY_MEDIA);
  readonly activity: Activity;
  readonly network: NetworkMonitor;
  readonly #devices: LectureSessionOptions['devices'];
  #room: RoomClient | null = null;
  #unmirror: (() => void) | null = null;
  #generation = 0;
  #onFloor = false;
  /** A student's answer to "turn on your camera too?" for the current turn; asked anew at each grant. */
  #floorCamera = false;
  /** Sources the user switched on, so a reconnect brings them back without a click. */
  readonly #wanted = new Set<MediaSource>();
  /** TURN servers with time-limited credentials from the join answer; a media restart reuses them. */
  #iceServers: RTCIceServer[] | undefined;

  constructor(token: string, options: LectureSessionOptions = {}) {
    const nodes = new NodeDirectory();
    this.signal = new SignalClient({ token, failover: (current) => nodes.pick(current) });
    this.#devices = options.devices;
    this.activity = new Activity(this.signal);
    this.network = new NetworkMonitor(() => this.#room);
    this.store = createStore<SessionSnapshot>()(() => ({
      connection: this.signal.state, joined: false, self: null, lecture: null, participants: [],
      hands: { entries: [], total: 0, myPosition: null }, floor: { speakers: [], maxSpeakers: 0 },
      attendance: null, tiers: null, sources: null, roomSource: null, reception: 'full', fatal: null, notice: null, mediaRecovering: false,
    }));
    this.signal.onConnectionChange(({ state, error }) => {
      const fatal = state === ConnectionState.Disconnected && error ? error : null;
      this.#patch({ connection: state, ...(fatal ? { fatal } : {}) });
      if (state === ConnectionState.Connected) {
        void this.#join();
        void nodes.refresh(this.signal.url);
      } else this.#leaveMedia();
    });
    const s = this.signal;
    s.on('lecture:updated', (lecture) => this.#patch({ lecture }));
    s.on('participant:joined', (p) => this.#patch({ participants: [...this.#others(p.id), p] }));
    s.on('participant:left', ({ participantId }) => this.#patch({ participants: this.#others(participantId) }));
    s.on('hands:updated', (hands) => this.#patch({ hands }));
    s.on('floor:updated', (floor) => this.#setFloor(floor));
    s.on('attendance:updated', (attendance) => this.#patch({ attendance }));
    s.on('tiers:updated', (tiers) => this.#patch({ tiers }));
    s.on('sources:updated', (sources) => this.#patch({ sources }));
    s.on('source:updated', ({ kind }) => this.#setRoomSource(kind));
    s.on('media:reception', ({ mode }) => this.#patch({ reception: mode }));
    s.on('media:reset', () => void this.#restartMedia());
    s.on('session:replaced', () => {
      this.#patch({ fatal: { code: 'SESSION_REPLACED', message: 'opened in another window' } });
      this.close();
    });
  }

  get room(): RoomClient | null {
    return this.#room;
  }

  start(): void {
    this.signal.connect();
    this.network.start();
  }

  // ---- actions the views call; failures land in `notice` ----

  goLive = () => this.#act(this.signal.request('lecture:start', {}).then((lecture) => this.#patch({ lecture })));
  endLecture = () => this.#act(this.signal.request('lecture:end', {}).then((lecture) => this.#patch({ lecture })));
  startRecording = () => this.#act(this.signal.request('recording:start', {}).then((lecture) => this.#patch({ lecture })));
  stopRecording = () => this.#act(this.signal.request('recording:stop', {}).then((lecture) => this.#patch({ lecture })));
  raiseHand = (note?: string) =>
    this.#act(this.signal.request('hand:raise', note ? { note } : {}).then((hands) => this.#patch({ hands })));
  lowerHand = (entryId?: string) =>
    this.#act(this.signal.request('hand:lower', entryId ? { entryId } : {}).then((hands) => this.#patch({ hands })));
  clearHands = () => this.#act(this.signal.request('hand:clear', {}).then((hands) => this.#patch({ hands })));
  grant = (entryId: string) => this.#act(this.signal.request('floor:grant', { entryId }).then((f) => this.#setFloor(f)));
  revoke = (participantId: string) =>
    this.#act(this.signal.request('floor:revoke', { participantId }).then((f) => this.#setFloor(f)));
  mute = (participantId: string, muted: boolean) =>
    this.#act(this.signal.request('floor:mute', { participantId, muted }).then((f) => this.#setFloor(f)));
  stopCamera = (participantId: string) =>
    this.#act(this.signal.request('floor:stopCamera', { participantId }).then((f) => this.#setFloor(f)));
  /** An assistant's own classroom, or (for the lecturer) the classroom named. */
  setHeadcount = (headcount: number, classroomId?: string) =>
    this.#act(this.signal.request('attendance:setHeadcount', classroomId ? { headcount, classroomId } : { headcount })
      .then((attendance) => this.#patch({ attendance })));
  /** A partner classroom's quality ceiling (lecturer, IT); 'auto' goes back to its role's. */
  setTier = (classroomId: string, tier: Tier | 'auto') =>
    this.#act(this.signal.request('site:setTier', { classroomId, tier }).then((tiers) => this.#patch({ tiers })));
  /** Connects a partner classroom's RTMP encoder (the answer carries its URL and key) or IP camera (lecturer, IT). */
  openSource = (classroomId: string, request: { kind: 'rtmp' | 'whip' } | { kind: 'rtsp'; url: string }) =>
    this.#act(this.signal.request('source:open', { classroomId, ...request }).then((source) => {
      const others = (this.store.getState().sources ?? []).filter((s) => s.classroomId !== classroomId);
      this.#patch({ sources: [...others, source] });
    }));
  closeSource = (classroomId: string) =>
    this.#act(this.signal.request('source:close', { classroomId }).then((sources) => this.#patch({ sources })));
  /** The CSV the server builds (attendance plus floor history); null when the request failed. */
  exportAttendance = () => this.#try(this.signal.request('attendance:export', {}));
  stats = () => this.signal.request('stats:get', {});
  dismissNotice = () => this.#patch({ notice: null });
  /** Runs an Activity action (chat, poll, reaction); a failure lands in `notice`, the result says whether it worked. */
  perform = async (work: Promise<void>): Promise<boolean> => (await this.#try(work.then(() => true))) ?? false;

  /** The user picked another camera or microphone: a running one moves to it at once. */
  switchDevice = (source: 'camera' | 'microphone') => this.#act(this.#room?.switchDevice(source) ?? Promise.resolve());

  /** A student on the floor turns its camera on or off; never automatic, the student is asked at the grant. */
  setFloorCamera = (on: boolean): Promise<void> => {
    this.#floorCamera = on;
    const room = this.#room;
    if (!room) return Promise.resolve();
    return this.#act(on ? room.publishCamera('low') : room.stop('camera'));
  };

  /** The lecturer's camera, microphone and screen buttons. */
  toggle = (source: MediaSource): Promise<void> => {
    const room = this.#room;
    if (!room) return Promise.resolve();
    if (room.isPublishing(source)) {
      this.#wanted.delete(source);
      return this.#act(room.stop(source));
    }
    this.#wanted.add(source);
    return this.#act(this.#publish(room, source));
  };

  /** Closes everything for good. Safe to call twice. */
  close(): void {
    this.#generation++;
    this.network.stop();
    this.#leaveMedia();
    this.signal.close();
  }

  async #join(): Promise<void> {
    const generation = ++this.#generation;
    this.#leaveMedia();
    // Created before the join request so producer:added broadcasts are never missed.
    const room = new RoomClient(this.signal, { devices: this.#devices });
    this.#room = room;
    this.#unmirror = this.#mirror(room);
    try {
      const join = await this.signal.request('lecture:join', { protocolVersion: PROTOCOL_VERSION });
      if (generation !== this.#generation) return;
      this.#onFloor = false;
      this.#patch({
        joined: true, self: join.self, lecture: join.lecture, hands: join.hands, floor: join.floor,
        attendance: join.attendance, tiers: join.tiers, sources: join.sources, roomSource: join.roomSource, participants: join.participants.filter((p) => p.id !== join.self.id),
      });
      this.activity.reset(join);
      this.#iceServers = join.iceServers;
      await this.#startMedia(room, join.routerRtpCapabilities, join.producers);
    } catch (err) {
      if (generation !== this.#generation) return;
      if (!this.store.getState().joined) this.#patch({ fatal: toNotice(err) });
      else this.#fail(err);
    }
  }

  /** Loads the device, receives what we may, and publishes again what we published. */
  async #startMedia(room: RoomClient, routerRtpCapabilities: unknown, producers: ProducerInfo[], keepScreen = false): Promise<void> {
    // A fresh media peer starts with everything; the server tells us again if the link cannot carry it.
    if (this.store.getState().reception !== 'full') this.#patch({ reception: 'full' });
    await room.load(routerRtpCapabilities, this.#iceServers);
    for (const producer of producers) void room.consume(producer).catch((err) => this.#fail(err));
    const self = this.store.getState().self;
    // A partner classroom's room camera is its presence on the lecturer's wall: always on, unless
    // the room's own hardware (an encoder, an IP camera) supplies it.
    if (self?.role === 'classroom' && !this.store.getState().roomSource) void this.#act(room.publishCamera('low'));
    // The screen picker needs a user gesture: a share is resumed only from a track we still hold.
    for (const source of this.#wanted) if (source !== 'screen' || keepScreen) void this.#act(this.#publish(room, source));
    this.#onFloor = false;
    this.#syncFloor();
  }

  /**
   * The media worker serving us died: signaling, hand and floor are intact, so only the media is
   * rebuilt, on whichever worker replaced it, from copies of the tracks we were sending.
   */
  async #restartMedia(): Promise<void> {
    if (!this.store.getState().joined) return;
    const generation = ++this.#generation;
    const tracks = this.#room?.cloneTracks() ?? new Map<MediaSource, MediaStreamTrack>();
    this.#closeMedia();
    const room = new RoomClient(this.signal, { devices: this.#devices, tracks });
    this.#room = room;
    this.#unmirror = this.#mirror(room);
    this.#patch({ mediaRecovering: true });
    for (let attempt = 1; generation === this.#generation; attempt++) {
      try {
        const restart = await this.signal.request('media:restart', {});
        if (generation !== this.#generation) return;
        await this.#startMedia(room, restart.routerRtpCapabilities, restart.producers, tracks.has('screen'));
        break;
      } catch (err) {
        if (generation !== this.#generation) return;
        // UNAVAILABLE: no worker yet (one is being started); anything else is worth a notice.
        if (errorCodeOf(err) !== 'UNAVAILABLE' || attempt >= 20) {
          this.#fail(err);
          break;
        }
        await new Promise((r) => setTimeout(r, Math.min(250 * attempt, 2_000)));
      }
    }
    if (generation === this.#generation) this.#patch({ mediaRecovering: false });
  }

  #setFloor(floor: FloorState): void {
    this.#patch({ floor });
    this.#syncFloor();
  }

  /** Holding the floor means publishing: microphone, plus a small camera if the remote student chose it. */
  #syncFloor(): void {
    const { self, floor, joined } = this.store.getState();
    const room = this.#room;
    if (!self || !room || !joined || !can(self.role, 'media:publishOnFloor')) return;
    // The room's hardware microphone is opened by the server while the classroom holds the floor.
    if (this.store.getState().roomSource) return;
    const me = floor.speakers.find((s) => s.participantId === self.id);
    const withCamera = self.role === 'student';
    if (me && !this.#onFloor) {
      void this.#act(room.publishMicrophone());
      if (withCamera && this.#floorCamera && !me.cameraStopped) void this.#act(room.publishCamera('low'));
    } else if (!me && this.#onFloor) {
      this.#floorCamera = false;
      void room.stop('microphone');
      if (withCamera) void room.stop('camera');
    } else if (me && withCamera && me.cameraStopped) {
      void room.stop('camera');
    }
    this.#onFloor = Boolean(me);
  }

  /** The lecturer or IT connected (or removed) this classroom's hardware. */
  #setRoomSource(kind: SourceKind | null): void {
    const was = this.store.getState().roomSource;
    this.#patch({ roomSource: kind });
    const room = this.#room;
    if (!room || !this.store.getState().joined || Boolean(was) === Boolean(kind)) return;
    if (kind) {
      // The server already closed our camera and microphone; let go of the devices too.
      void room.stop('camera');
      void room.stop('microphone');
      this.#onFloor = false;
    } else {
      void this.#act(room.publishCamera('low'));
      this.#onFloor = false;
      this.#syncFloor();
    }
  }

  #publish(room: RoomClient, source: MediaSource): Promise<void> {
    if (source === 'microphone') return room.publishMicrophone();
    if (source === 'screen') return room.publishScreen();
    return room.publishCamera(this.store.getState().self?.role === 'lecturer' ? 'simulcast' : 'low');
  }

  #mirror(room: RoomClient): () => void {
    this.media.setState(room.store.getState(), true);
    return room.store.subscribe((snapshot) => this.media.setState(snapshot, true));
  }

  #leaveMedia(): void {
    this.#closeMedia();
    if (this.store.getState().joined) this.#patch({ joined: false });
    if (this.store.getState().mediaRecovering) this.#patch({ mediaRecovering: false });
  }

  #closeMedia(): void {
    this.#unmirror?.();
    this.#unmirror = null;
    this.#room?.close();
    this.#room = null;
    this.#onFloor = false;
    this.media.setState(EMPTY_MEDIA, true);
  }

  #others(participantId: string): Participant[] {
    return this.store.getState().participants.filter((p) => p.id !== participantId);
  }

  async #act(work: Promise<unknown>): Promise<void> {
    await this.#try(work);
  }

  async #try<T>(work: Promise<T>): Promise<T | null> {
    try {
      return await work;
    } catch (err) {
      this.#fail(err);
      return null;
    }
  }

  #fail(err: unknown): void {
    console.warn('[tongtang]', err);
    this.#patch({ notice: toNotice(err) });
  }

  #patch(change: Partial<SessionSnapshot>): void {
    this.store.setState(change);
  }
}

function toNotice(err: unknown): Notice {
  const message = err instanceof Error ? err.message : String(err);
  // getUserMedia / getDisplayMedia refusals are DOMExceptions, not protocol errors.
  const problem = mediaProblemOf(err);
  if (problem === 'denied') return { code: 'MEDIA_DENIED', message };
  if (problem) return { code: 'MEDIA_UNAVAILABLE', message };
  return { code: errorCodeOf(err), message };
}
