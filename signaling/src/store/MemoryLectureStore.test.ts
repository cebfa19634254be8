import { MemoryLectureStore } from './MemoryLectureStore.ts';
import { describeLectureStore, type ContractState } from '../../test-support/storeContract.ts';

describeLectureStore('memory', {
  async pair() {
    const store = new MemoryLectureStore<ContractState>();
    return [store, store];
  },
  async cleanup() {},
});
