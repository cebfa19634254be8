/**
 * `window.__tongtang`: what browser end-to-end tests drive and inspect. It reads the same stores
 * the views read, so a test sees exactly what the page believes.
 */
import type { LectureState, MediaKind, MediaSource } from '@tongtang/shared';
import type { Role } from '@tongtang/shared';
import type { InboundStats, OutboundStats } from '../media/stats.ts';
import type { RawAck } from '../signal/SignalClient.ts';
import { ConnectionState } from '../signal/SignalClient.ts';
import type { NetworkSnapshot } from './NetworkMonitor.ts';
import type { LectureSession } from './LectureSession.ts';

export interface TestState {
  connected: boolean;
  joined: boolean;
  role: Role | null;
  participantId: string | null;
  lectureState: LectureState | null;
  consumers: Array<{ id: string; producerId: string; participantId: string; source: MediaSource; kind: MediaKind }>;
  producers: Array<{ id: string; source: MediaSource; kind: MediaKind }>;
  // Beyond the required shape, for friendlier assertions:
  connection: ConnectionState;
  speakers: string[];
  handPosition: number | null;
  fatal: string | null;
  /** The node the signaling connection talks to (changes on cluster failover). */
  nodeUrl: string;
}

export interface TestHooks {
  state(): TestState;
  inboundStats(): Promise<InboundStats[]>;
  outboundStats(): Promise<OutboundStats[]>;
  setPreferredLayer(consumerId: string, spatialLayer: number): Promise<void>;
  /** Sends any request as-is and returns the ack, errors included (never throws). */
  request(name: string, payload?: unknown): Promise<RawAck>;
  /** Drops the signaling transport as a network blip would; the page reconnects by itself. */
  simulateDrop(): void;
  /** The latest quality readings (own connection, selected ICE path, per-consumer). */
  network(): NetworkSnapshot;
}

declare global {
  interface Window {
    __tongtang?: TestHooks;
  }
}

export function installTestHooks(session: LectureSession): () => void {
  const hooks: TestHooks = {
    state() {
      const s = session.store.getState();
      const m = session.media.getState();
      return {
        connected: s.connection === ConnectionState.Connected,
        joined: s.joined,
        role: s.self?.role ?? null,
        participantId: s.self?.id ?? null,
        lectureState: s.lecture?.state ?? null,
        consumers: m.consumers.map(({ id, producerId, participantId, source, kind }) => ({ id, producerId, participantId, source, kind })),
        producers: m.producers.map(({ id, source, kind }) => ({ id, source, kind })),
        connection: s.connection,
        speakers: s.floor.speakers.map((sp) => sp.participantId),
        handPosition: s.hands.myPosition,
        fatal: s.fatal?.code ?? null,
        nodeUrl: session.signal.url,
      };
    },
    inboundStats: async () => (await session.room?.inboundStats()) ?? [],
    outboundStats: async () => (await session.room?.outboundStats()) ?? [],
    async setPreferredLayer(consumerId, spatialLayer) {
      const room = session.room;
      if (!room) throw new Error('not joined');
      await room.setPreferredLayer(consumerId, spatialLayer);
    },
    request: (name, payload = {}) => session.signal.requestRaw(name, payload),
    simulateDrop: () => session.signal.simulateDrop(),
    network: () => session.network.store.getState(),
  };
  window.__tongtang = hooks;
  return () => {
    if (window.__tongtang === hooks) delete window.__tongtang;
  };
}
