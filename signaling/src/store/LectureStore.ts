/**
 * Where a lecture's shared state lives: in this process (one node) or in Redis (several nodes).
 * Both implementations pass the same contract suite (storeContract.ts). Everything that must
 * survive a node or be seen by every node goes through here; sessions and media stay local.
 *
 * The store does not know what the shared state is (the lecture code owns its shape): it keeps
 * an `S` with a revision, and a store that reads it from another process checks it with the
 * schema it was given. The roster and the producer registry are the backplane's own.
 */
import { z } from 'zod';
import { MEDIA_SOURCES, ROLES, SOURCE_KINDS, type Participant, type ProducerInfo } from '@tongtang/shared';

export interface RosterEntry {
  participant: Participant;
  /** The node serving this participant's newest connection. */
  nodeId: string;
}

export interface ProducerEntry {
  info: ProducerInfo;
  /** The node whose media server holds the producer (its origin for the cascade). */
  nodeId: string;
  /** The media peer (one connection of its participant) that published it; absent: the media gateway's. */
  peerId?: string;
}

/** An id as nodes store and carry it (lectures, participants, producers, nodes). */
export const idSchema = z.string().min(1).max(256);
const id = idSchema;
const participantSchema = z.object({
  id,
  role: z.enum(ROLES),
  displayName: z.string().max(256),
  classroomId: id.nullable(),
});
const producerInfoSchema = z.object({
  id,
  participantId: id,
  role: z.enum(ROLES),
  displayName: z.string().max(256),
  source: z.enum(MEDIA_SOURCES),
  kind: z.enum(['audio', 'video']),
  paused: z.boolean(),
  via: z.enum(SOURCE_KINDS).optional(),
});
/** A roster entry as another node wrote it (Redis, the bus). */
export const rosterEntrySchema: z.ZodType<RosterEntry> = z.object({ participant: participantSchema, nodeId: id });
/** A producer entry as another node wrote it (Redis, the bus). */
export const producerEntrySchema: z.ZodType<ProducerEntry> = z.object({ info: producerInfoSchema, nodeId: id, peerId: id.optional() });

/** The shared state with its revision: every update moves it up by one. */
export interface Revised<S> {
  state: S;
  revision: number;
}

export interface Updated<S, T> {
  state: S;
  result: T;
}

export interface LectureStore<S> {
  /**
   * The lecture's shared state, created from `init` if it has none yet. A created state gets a
   * revision above `after`: a node that seeds a lost lecture again from its copy passes that
   * copy's revision, so revisions never go back for the nodes that saw it.
   */
  load(lectureId: string, init: () => S, after?: number): Promise<Revised<S>>;
  /** The stored revision, 0 when the store has no shared state for the lecture. */
  revision(lectureId: string): Promise<number>;
  /**
   * Atomic read-modify-write. `change` is pure and may throw (an AppError) to abort without
   * writing. When another node writes in between, it runs again on the fresh state, so no
   * concurrent change is ever lost or applied twice. Every write moves the revision up by one.
   */
  update<T>(lectureId: string, init: () => S, change: (s: S) => Updated<S, T>): Promise<Updated<S, T> & { revision: number }>;

  putParticipant(lectureId: string, entry: RosterEntry): Promise<void>;
  /** Removes the entry only if it still belongs to `nodeId` (a newer connection elsewhere wins). */
  removeParticipant(lectureId: string, participantId: string, nodeId: string): Promise<boolean>;
  roster(lectureId: string): Promise<RosterEntry[]>;

  putProducer(lectureId: string, entry: ProducerEntry): Promise<void>;
  removeProducer(lectureId: string, producerId: string): Promise<ProducerEntry | null>;
  producers(lectureId: string): Promise<ProducerEntry[]>;

  /** Forgets everything about a lecture. */
  deleteLecture(lectureId: string): Promise<void>;
  /** False while the backing store cannot be reached. */
  healthy(): boolean;
  close(): Promise<void>;
}
