/** The lecturer starts and stops recording; everyone learns the status through lecture:updated. */
import { AppError } from '@tongtang/shared';
import type { HandlerSpec } from '../rpc/dispatcher.ts';

export const recordingHandlers = {
  'recording:start': {
    action: 'recording:control',
    async handle({ room, now }) {
      const recordings = room.deps.recordings;
      if (!recordings) throw new AppError('UNAVAILABLE', 'this server does not record');
      return recordings.start(room, now);
    },
  },
  'recording:stop': {
    action: 'recording:control',
    async handle({ room }) {
      const recordings = room.deps.recordings;
      if (!recordings) throw new AppError('UNAVAILABLE', 'this server does not record');
      return recordings.stop(room);
    },
  },
} satisfies {
  'recording:start': HandlerSpec<'recording:start'>;
  'recording:stop': HandlerSpec<'recording:stop'>;
};
