/** The single-process store: plain maps. Values are cloned in and out, as Redis would. */
import type { LectureStore, ProducerEntry, Revised, RosterEntry, Updated } from './LectureStore.ts';

interface LectureData<S> {
  shared: Revised<S> | null;
  roster: Map<string, RosterEntry>;
  producers: Map<string, ProducerEntry>;
}

export class MemoryLectureStore<S> implements LectureStore<S> {
  private readonly lectures = new Map<string, LectureData<S>>();

  async load(lectureId: string, init: () => S, after = 0): Promise<Revised<S>> {
    return structuredClone(this.shared(lectureId, init, after));
  }

  async revision(lectureId: string): Promise<number> {
    return this.lectures.get(lectureId)?.shared?.revision ?? 0;
  }

  async update<T>(lectureId: string, init: () => S, change: (s: S) => Updated<S, T>): Promise<Updated<S, T> & { revision: number }> {
    // `change` is synchronous, so nothing can interleave between this read and the write.
    const current = this.shared(lectureId, init);
    const updated = change(structuredClone(current.state));
    const revision = current.revision + 1;
    this.dataOrEmpty(lectureId).shared = { state: structuredClone(updated.state), revision };
    return { ...updated, revision };
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

  private shared(lectureId: string, init: () => S, after = 0): Revised<S> {
    const data = this.dataOrEmpty(lectureId);
    data.shared ??= { state: structuredClone(init()), revision: after + 1 };
    return data.shared;
  }

  /** Roster and producers may be written before the shared state is first loaded. */
  private dataOrEmpty(lectureId: string): LectureData<S> {
    let data = this.lectures.get(lectureId);
    if (!data) {
      data = { shared: null, roster: new Map(), producers: new Map() };
      this.lectures.set(lectureId, data);
    }
    return data;
  }
}
