/**
 * A node alone: the lecture store in memory, nobody to tell, nobody to pull media from. The
 * default when no Redis is configured.
 */
import { AppError } from '@tongtang/shared';
import { MemoryLectureStore } from '../store/MemoryLectureStore.ts';
import type { Backplane, Cascade, NodeInfo } from './Backplane.ts';
import { LocalBus, type LectureBus } from './LectureBus.ts';

/** Alone there is no other node: no producer comes from elsewhere, and no copy of one is here. */
const noCascade: Cascade = {
  pull: async () => {
    throw new AppError('UNAVAILABLE', 'that producer is on another node and this node cannot cascade');
  },
  closeImported: async () => undefined,
  pauseImported: async () => undefined,
  closeLink: async () => undefined,
};

export class LocalBackplane<S, E> implements Backplane<S, E> {
  /** Alone, a node needs no name among others. */
  readonly nodeId = 'local';
  readonly store = new MemoryLectureStore<S>();
  readonly cascade = noCascade;
  readonly routes = undefined;
  readonly spansNodes = false;
  /** Nobody else holds the lecture's state: it goes with the lecture. */
  readonly forgetsClosedLectures = true;
  private load: () => number = () => 0;

  /** `url`: where clients reach this node, when configured (PUBLIC_URL); empty: the page's own origin. */
  constructor(private readonly url = '') {}

  idleKeepMs(configuredMs: number): number {
    return configuredMs;
  }

  attach(): LectureBus<E> {
    return new LocalBus<E>();
  }

  async alive(): Promise<NodeInfo[]> {
    return [{ id: this.nodeId, url: this.url, load: this.load(), updatedAt: Date.now() }];
  }

  async register(load: () => number): Promise<void> {
    this.load = load;
  }

  /** The memory store loses nothing and there are no other nodes to die: nothing to repair. */
  maintain(): () => void {
    return () => undefined;
  }

  healthy(): boolean {
    return true;
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}
