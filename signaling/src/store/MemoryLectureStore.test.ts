import { MemoryLectureStore } from './MemoryLectureStore.ts';
import { describeLectureStore, type ContractState } from './storeContract.ts';

describeLectureStore('memory', {
  async pair() {
    const store = new MemoryLectureStore<ContractState>();
    return [store, store];
  },
  async cleanup() {},
});
