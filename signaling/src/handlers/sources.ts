/** The lecturer and IT connect a partner classroom's hardware (RTMP encoder, IP camera) as its room camera. */
import type { HandlerSpec } from '../rpc/dispatcher.ts';

export const sourceHandlers = {
  'source:open': {
    action: 'source:manage',
    async handle({ room }, request) {
      return room.sources.open(request.classroomId, request.kind === 'rtsp' ? { kind: 'rtsp', url: request.url } : { kind: request.kind });
    },
  },
  'source:close': {
    action: 'source:manage',
    async handle({ room }, { classroomId }) {
      await room.sources.close(classroomId);
      return room.sources.list();
    },
  },
} satisfies {
  'source:open': HandlerSpec<'source:open'>;
  'source:close': HandlerSpec<'source:close'>;
};
