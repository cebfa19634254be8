/**
 * Where a lecture's shared state lives: in this process (one node) or in Redis (several nodes).
 * Both implementations pass the same contract suite (storeContract.ts). Everything that must
 * survive a node or be seen by every node goes through here; sessions and media stay local.
 */
import type { Participant, ProducerInfo } from '@tongtang/shared';
import type { SharedLecture } from '../lecture/machine/machine.ts';

/** What the lecture machine runs over; the store keeps it. */
export type { SharedLecture };

export interface RosterEntry {
  participant: Participant;
  /** The node serving this participant's newest connection. */
  nodeId: string;
}

export interface ProducerEntry {
  info: ProducerInfo;
  /** The node whose media server holds the producer (its origin for the cascade). */
  nodeId: string;
}

export interface Updated<T> {
  state: SharedLecture;
  result: T;
}

export interface LectureStore {
  readonly kind: 'memory' | 'redis';
  /** The lecture's shared state, created from `init` if it has none yet. */
  load(lectureId: string, init: () => SharedLecture): Promise<SharedLecture>;
  /**
   * Atomic read-modify-write. `change` is pure and may throw (an AppError) to abort without
   * writing. When another node writes in between, it runs again on the fresh state, so no
   * concurrent change is ever lost or applied twice.
   */
  update<T>(lectureId: string, init: () => SharedLecture, change: (s: SharedLecture) => Updated<T>): Promise<Updated<T>>;

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
