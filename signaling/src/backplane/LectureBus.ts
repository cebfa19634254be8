/**
 * How a node tells the other nodes what changed in a lecture. Every node serves its own sessions,
 * so each change is applied where it happens and replayed by every other node for its sessions.
 * One node: nobody to tell. Several: Socket.IO's inter-server channel over the Redis adapter.
 *
 * The bus does not know the lecture's effects (`E`); it is given their schema, and a message
 * from another node is parsed before anyone sees it: one that does not parse is logged and dropped.
 */
import { z } from 'zod';
import type { Logger } from '../logger.ts';
import { idSchema as id, producerEntrySchema, rosterEntrySchema, type ProducerEntry, type RosterEntry } from '../store/LectureStore.ts';

export type LectureEvent<E> =
  /** The shared state changed to `revision`; these effects follow from it. Catch up, then run them. */
  | { type: 'effects'; effects: E[]; revision: number }
  | { type: 'joined'; entry: RosterEntry }
  | { type: 'left'; participantId: string; nodeId: string }
  | { type: 'producerAdded'; entry: ProducerEntry }
  | { type: 'producerRemoved'; producerId: string }
  | { type: 'producerPaused'; producerId: string; paused: boolean }
  /** A node closed its end of the lecture's pipe to `nodeId` (it has nobody left to serve). */
  | { type: 'pipeClosed'; fromNode: string };

export interface BusMessage<E> {
  lectureId: string;
  fromNode: string;
  event: LectureEvent<E>;
}

export interface LectureBus<E> {
  publish(lectureId: string, event: LectureEvent<E>): void;
  /** Messages from other nodes only. */
  subscribe(handler: (message: BusMessage<E>) => void): void;
}


/** A bus message as another node sent it, with the lecture's effects checked by `effect`. */
export function busMessageSchema<E>(effect: z.ZodType<E>): z.ZodType<BusMessage<E>> {
  const event = z.discriminatedUnion('type', [
    z.object({ type: z.literal('effects'), effects: z.array(effect).max(1_000), revision: z.number().int().min(1) }),
    z.object({ type: z.literal('joined'), entry: rosterEntrySchema }),
    z.object({ type: z.literal('left'), participantId: id, nodeId: id }),
    z.object({ type: z.literal('producerAdded'), entry: producerEntrySchema }),
    z.object({ type: z.literal('producerRemoved'), producerId: id }),
    z.object({ type: z.literal('producerPaused'), producerId: id, paused: z.boolean() }),
    z.object({ type: z.literal('pipeClosed'), fromNode: id }),
  ]);
  return z.object({ lectureId: id, fromNode: id, event });
}

/** A single node: there is nobody else to tell. */
export class LocalBus<E> implements LectureBus<E> {
  publish(): void {}
  subscribe(): void {}
}

export const BUS_CHANNEL = 'tongtang:lecture';

/** The Socket.IO inter-server events the bus uses (a typed Server declares these). */
export interface InterNodeEvents {
  [BUS_CHANNEL]: (message: unknown) => void;
}

/** What the bus needs of a Socket.IO server. */
export interface ServerSideEmitter {
  serverSideEmit(event: typeof BUS_CHANNEL, message: unknown): boolean;
  on(event: typeof BUS_CHANNEL, listener: (message: unknown) => void): unknown;
}

/** Several nodes: Socket.IO's serverSideEmit, carried by the Redis Streams adapter. */
export class SocketIoBus<E> implements LectureBus<E> {
  private readonly schema: z.ZodType<BusMessage<E>>;

  constructor(
    private readonly io: ServerSideEmitter,
    private readonly nodeId: string,
    effect: z.ZodType<E>,
    private readonly log: Logger,
  ) {
    this.schema = busMessageSchema(effect);
  }

  publish(lectureId: string, event: LectureEvent<E>): void {
    const message: BusMessage<E> = { lectureId, fromNode: this.nodeId, event };
    this.io.serverSideEmit(BUS_CHANNEL, message);
  }

  subscribe(handler: (message: BusMessage<E>) => void): void {
    this.io.on(BUS_CHANNEL, (message: unknown) => {
      const parsed = this.schema.safeParse(message);
      if (parsed.success) handler(parsed.data);
      else this.log.warn({ issues: parsed.error.issues.slice(0, 5) }, 'dropped a malformed message from another node');
    });
  }
}
