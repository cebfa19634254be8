/** The single-process store: plain maps. Values are cloned in and out, as Redis would. */
import type { LectureStore, ProducerEntry, RosterEntry, SharedLecture, Updated } from './LectureStore.ts';

interface LectureData {
  shared: SharedLecture | null;
  roster: Map<string, RosterEntry>;
  producers: Map<string, ProducerEntry>;
}

export class MemoryLectureStore implements LectureStore {
  readonly kind = 'memory';
  private readonly lectures = new Map<string, LectureData>();

  async load(lectureId: string, init: () => SharedLecture): Promise<SharedLecture> {
    return structuredClone(this.shared(lectureId, init));
  }

  async update<T>(lectureId: string, init: () => SharedLecture, change: (s: SharedLecture) => Updated<T>): Promise<Updated<T>> {
    // `change` is synchronous, so nothing can interleave between this read and the write.
    const updated = change(structuredClone(this.shared(lectureId, init)));
    this.dataOrEmpty(lectureId).shared = structuredClone(updated.state);
    return updated;
  }

  async putParticipant(lectureId: string, entry: RosterEntry): Promise<void> {
    this.dataOrEmpty(lectureId).roster.set(entry.participant.id, structuredClone(entry));
  }

  async removeParticipant(lectureId: string, participantId: string, nodeId: string): Promise<boolean> {
    const roster = this.lectures.get(lectureId)?.roster;
    if (roster?.get(participantId)?.nodeId !== nodeId) return false;
    return roster.delete(participantId);
  }

  async roster(lectureId: string): Promise<RosterEntry[]> {
    return structuredClone([...(this.lectures.get(lectureId)?.roster.values() ?? [])]);
  }

  async putProducer(lectureId: string, entry: ProducerEntry): Promise<void> {
    this.dataOrEmpty(lectureId).producers.set(entry.info.id, structuredClone(entry));
  }

  async removeProducer(lectureId: string, producerId: string): Promise<ProducerEntry | null> {
    const producers = this.lectures.get(lectureId)?.producers;
    const entry = producers?.get(producerId) ?? null;
    producers?.delete(producerId);
    return entry;
  }

  async producers(lectureId: string): Promise<ProducerEntry[]> {
    return structuredClone([...(this.lectures.get(lectureId)?.producers.values() ?? [])]);
  }

  async deleteLecture(lectureId: string): Promise<void> {
    this.lectures.delete(lectureId);
  }

  healthy(): boolean {
    return true;
  }

  async close(): Promise<void> {
    this.lectures.clear();
  }

  private shared(lectureId: string, init: () => SharedLecture): SharedLecture {
    const data = this.dataOrEmpty(lectureId);
    data.shared ??= structuredClone(init());
    return data.shared;
  }

  /** Roster and producers may be written before the shared state is first loaded. */
  private dataOrEmpty(lectureId: string): LectureData {
    let data = this.lectures.get(lectureId);
    if (!data) {
      data = { shared: null, roster: new Map(), producers: new Map() };
      this.lectures.set(lectureId, data);
    }
    return data;
  }
}
