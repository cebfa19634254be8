import { MemoryLectureStore } from './MemoryLectureStore.ts';
import { describeLectureStore } from '../../test-support/storeContract.ts';

describeLectureStore('memory', {
  async pair() {
    const store = new MemoryLectureStore();
    return [store, store];
  },
  async cleanup() {},
});
