/**
 * How a node tells the other nodes what changed in a lecture. Every node serves its own sessions,
 * so each change is applied where it happens and replayed by every other node for its sessions.
 * One node: nobody to tell. Several: Socket.IO's inter-server channel over the Redis adapter.
 */
import type { Effect } from '../lecture/machine/machine.ts';
import type { ProducerEntry, RosterEntry } from '../store/LectureStore.ts';

export type LectureEvent =
  /** The shared state changed (the lecture's info too); these effects follow from it. Reload it, then run them. */
  | { type: 'effects'; effects: Effect[] }
  | { type: 'joined'; entry: RosterEntry }
  | { type: 'left'; participantId: string; nodeId: string }
  | { type: 'producerAdded'; entry: ProducerEntry }
  | { type: 'producerRemoved'; producerId: string }
  | { type: 'producerPaused'; producerId: string; paused: boolean }
  /** A node closed its end of the lecture's pipe to `nodeId` (it has nobody left to serve). */
  | { type: 'pipeClosed'; fromNode: string };

export interface BusMessage {
  lectureId: string;
  fromNode: string;
  event: LectureEvent;
}

export interface LectureBus {
  publish(lectureId: string, event: LectureEvent): void;
  /** Messages from other nodes only. */
  subscribe(handler: (message: BusMessage) => void): void;
}

/** A single node: there is nobody else to tell. */
export class LocalBus implements LectureBus {
  publish(): void {}
  subscribe(): void {}
}

interface ServerSideEmitter {
  serverSideEmit(event: string, ...args: unknown[]): boolean;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

const CHANNEL = 'tongtang:lecture';

/** Several nodes: Socket.IO's serverSideEmit, carried by the Redis Streams adapter. */
export class SocketIoBus implements LectureBus {
  constructor(
    private readonly io: ServerSideEmitter,
    private readonly nodeId: string,
  ) {}

  publish(lectureId: string, event: LectureEvent): void {
    const message: BusMessage = { lectureId, fromNode: this.nodeId, event };
    this.io.serverSideEmit(CHANNEL, message);
  }

  subscribe(handler: (message: BusMessage) => void): void {
    this.io.on(CHANNEL, (message: unknown) => handler(message as BusMessage));
  }
}
