/**
 * Who owns what in one lecture: every transport, producer and consumer belongs to exactly one
 * peer, and every id a caller passes is checked against that before mediasoup sees it. The one
 * exception is a producer imported from another node: its owner lives there, so nobody owns it here.
 */
import type { types as ms } from 'mediasoup';
import { AppError, type MediaSource } from '@tongtang/shared';
import type { RouterSlot } from './LectureRouters.ts';

export interface PeerEntry {
  readonly id: string;
  rtpCapabilities: ms.RtpCapabilities | undefined;
  readonly transportIds: Set<string>;
  /** Transports being created: they count against the cap before mediasoup answers. */
  pendingTransports: number;
  /** Set by closePeer, so work still in flight for the peer throws its result away. */
  closed: boolean;
}

export interface TransportEntry {
  readonly peerId: string;
  readonly direction: 'send' | 'recv';
  readonly transport: ms.WebRtcTransport;
  readonly slot: RouterSlot;
  readonly consumerIds: Set<string>;
  /** Set by the first connect: DTLS parameters are given once per transport. */
  connecting?: boolean;
}

export interface LedgerProducer {
  /** '' for an imported producer: its owner is a peer of another node, unknown here. */
  readonly peerId: string;
  readonly source: MediaSource;
  readonly producer: ms.Producer;
  /** The peer's send transport, or the pipe an imported producer came through. */
  readonly transportId: string;
  readonly slot: RouterSlot;
  /** The remote node an imported producer came from; undefined for a local one. */
  readonly importedFrom?: string;
}

export interface ConsumerEntry {
  readonly peerId: string;
  readonly consumer: ms.Consumer;
  readonly producerId: string;
  readonly transportId: string;
}

export class MediaLedger {
  readonly peers = new Map<string, PeerEntry>();
  readonly transports = new Map<string, TransportEntry>();
  readonly producers = new Map<string, LedgerProducer>();
  readonly consumers = new Map<string, ConsumerEntry>();

  /** The peer's entry, created on first use (joining needs no separate call). */
  peer(peerId: string): PeerEntry {
    let peer = this.peers.get(peerId);
    if (!peer) {
      peer = { id: peerId, rtpCapabilities: undefined, transportIds: new Set(), pendingTransports: 0, closed: false };
      this.peers.set(peerId, peer);
    }
    return peer;
  }

  transportOf(peerId: string, transportId: string): TransportEntry {
    return owned(this.transports, transportId, peerId, 'transport');
  }

  consumerOf(peerId: string, consumerId: string): ConsumerEntry {
    return owned(this.consumers, consumerId, peerId, 'consumer');
  }

  producer(producerId: string): LedgerProducer {
    const entry = this.producers.get(producerId);
    if (!entry) throw new AppError('NOT_FOUND', `producer ${producerId} not found`);
    return entry;
  }

  /** The receive transport a consume goes to: the newest, since a reconnecting client makes a new one. */
  recvTransportOf(peerId: string): TransportEntry | undefined {
    let latest: TransportEntry | undefined;
    for (const id of this.peers.get(peerId)?.transportIds ?? []) {
      const entry = this.transports.get(id);
      if (entry?.direction === 'recv' && !entry.transport.closed) latest = entry;
    }
    return latest;
  }

  addTransport(peer: PeerEntry, entry: TransportEntry): void {
    this.transports.set(entry.transport.id, entry);
    peer.transportIds.add(entry.transport.id);
  }

  addConsumer(entry: ConsumerEntry): void {
    this.consumers.set(entry.consumer.id, entry);
    this.transports.get(entry.transportId)?.consumerIds.add(entry.consumer.id);
  }

  /** Forgets a consumer; false when it was already forgotten (so events fire once). */
  forgetConsumer(consumerId: string): boolean {
    const entry = this.consumers.get(consumerId);
    if (!entry) return false;
    this.consumers.delete(consumerId);
    this.transports.get(entry.transportId)?.consumerIds.delete(consumerId);
    return true;
  }

  forgetProducer(producerId: string): boolean {
    return this.producers.delete(producerId);
  }

  /** Forgets a transport and everything on it (mediasoup closes those with it). */
  forgetTransport(transportId: string): void {
    const entry = this.transports.get(transportId);
    if (!entry) return;
    this.transports.delete(transportId);
    this.peers.get(entry.peerId)?.transportIds.delete(transportId);
    for (const consumerId of entry.consumerIds) this.consumers.delete(consumerId);
    for (const [id, producer] of this.producers) if (producer.transportId === transportId) this.producers.delete(id);
  }

  /** Forgets everything on a router that is gone; returns the peers that had a transport there. */
  sweepRouter(slot: RouterSlot): Set<string> {
    const peerIds = new Set<string>();
    for (const [id, entry] of this.transports) {
      if (entry.slot !== slot) continue;
      peerIds.add(entry.peerId);
      this.forgetTransport(id);
    }
    return peerIds;
  }

  /**
   * Estimated consumers on a router: each receive transport will soon consume every producer of
   * the lecture, so a fresh one counts as that many, not as zero (a join burst would otherwise
   * land every newcomer on the same router before anyone consumed).
   */
  receiverLoad(slot: RouterSlot): number {
    const expected = Math.max(1, this.producers.size);
    let load = 0;
    for (const entry of this.transports.values()) {
      if (entry.slot === slot && entry.direction === 'recv') load += Math.max(entry.consumerIds.size, expected);
    }
    return load;
  }

  clear(): void {
    for (const peer of this.peers.values()) peer.closed = true;
    this.peers.clear();
    this.transports.clear();
    this.producers.clear();
    this.consumers.clear();
  }
}

function owned<T extends { peerId: string }>(map: Map<string, T>, id: string, peerId: string, what: string): T {
  const entry = map.get(id);
  if (!entry) throw new AppError('NOT_FOUND', `${what} ${id} not found`);
  if (entry.peerId !== peerId) throw new AppError('FORBIDDEN', `${what} ${id} belongs to another participant`);
  return entry;
}
