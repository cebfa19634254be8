/** The inter-node bus parses what other nodes send: a malformed message is logged and dropped, never applied. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../logger.ts';
import { BUS_CHANNEL, SocketIoBus, type BusMessage, type ServerSideEmitter } from './LectureBus.ts';

/** The bus's effects are the lecture's; here a small stand-in. */
const effect = z.discriminatedUnion('type', [z.object({ type: z.literal('ping') }), z.object({ type: z.literal('count'), n: z.number() })]);
type Effect = z.infer<typeof effect>;

function setup() {
  const out = new PassThrough();
  let logged = '';
  out.on('data', (chunk: Buffer) => { logged += chunk.toString(); });
  let listener: ((message: unknown) => void) | undefined;
  const sent: unknown[] = [];
  const io: ServerSideEmitter = {
    serverSideEmit: (_event, message) => (sent.push(message), true),
    on: (_event, l) => { listener = l; },
  };
  const bus = new SocketIoBus<Effect>(io, 'node-a', effect, createLogger('warn', 'json', out));
  const received: BusMessage<Effect>[] = [];
  bus.subscribe((m) => received.push(m));
  return { bus, sent, received, deliver: (m: unknown) => listener!(m), logged: () => logged };
}

const participant = { id: 's1', role: 'student', displayName: 'S', classroomId: null };
const info = { id: 'p1', participantId: 'L', role: 'lecturer', displayName: 'L', source: 'camera', kind: 'video', paused: false };

describe('SocketIoBus', () => {
  it('sends this node\'s events under its name and hands well-formed messages on', () => {
    const { bus, sent, received, deliver } = setup();
    bus.publish('lec', { type: 'effects', effects: [{ type: 'count', n: 2 }], revision: 4 });
    expect(sent).toEqual([{ lectureId: 'lec', fromNode: 'node-a', event: { type: 'effects', effects: [{ type: 'count', n: 2 }], revision: 4 } }]);
    const good: BusMessage<Effect>[] = [
      { lectureId: 'lec', fromNode: 'node-b', event: { type: 'effects', effects: [{ type: 'ping' }], revision: 9 } },
      { lectureId: 'lec', fromNode: 'node-b', event: { type: 'joined', entry: { participant: { ...participant, role: 'student' }, nodeId: 'node-b' } } },
      { lectureId: 'lec', fromNode: 'node-b', event: { type: 'left', participantId: 's1', nodeId: 'node-b' } },
      { lectureId: 'lec', fromNode: 'node-b', event: { type: 'producerAdded', entry: { info: { ...info, role: 'lecturer', source: 'camera', kind: 'video' }, nodeId: 'node-b' } } },
      { lectureId: 'lec', fromNode: 'node-b', event: { type: 'producerRemoved', producerId: 'p1' } },
      { lectureId: 'lec', fromNode: 'node-b', event: { type: 'producerPaused', producerId: 'p1', paused: true } },
      { lectureId: 'lec', fromNode: 'node-b', event: { type: 'pipeClosed', fromNode: 'node-b' } },
    ];
    for (const m of good) deliver(m);
    expect(received).toEqual(good);
  });

  it.each([
    ['nothing', undefined],
    ['a string', 'hello'],
    ['no lecture', { fromNode: 'b', event: { type: 'lecture' } }],
    ['an unknown event', { lectureId: 'lec', fromNode: 'b', event: { type: 'explode' } }],
    ['an unknown effect', { lectureId: 'lec', fromNode: 'b', event: { type: 'effects', effects: [{ type: 'reboot' }], revision: 3 } }],
    ['effects without a revision', { lectureId: 'lec', fromNode: 'b', event: { type: 'effects', effects: [{ type: 'ping' }] } }],
    ['a revision that is not a count', { lectureId: 'lec', fromNode: 'b', event: { type: 'effects', effects: [], revision: 1.5 } }],
    ['a roster entry with an unknown role', { lectureId: 'lec', fromNode: 'b', event: { type: 'joined', entry: { participant: { ...participant, role: 'janitor' }, nodeId: 'b' } } }],
    ['a producer of an unknown kind', { lectureId: 'lec', fromNode: 'b', event: { type: 'producerAdded', entry: { info: { ...info, kind: 'smell' }, nodeId: 'b' } } }],
    ['a pause that is not a flag', { lectureId: 'lec', fromNode: 'b', event: { type: 'producerPaused', producerId: 'p1', paused: 'yes' } }],
  ])('drops and logs %s', (_what, message) => {
    const { received, deliver, logged } = setup();
    expect(() => deliver(message)).not.toThrow();
    expect(received).toEqual([]);
    expect(JSON.parse(logged())).toMatchObject({ level: 40, msg: 'dropped a malformed message from another node' });
  });

  it('listens on the one channel it sends on', () => {
    const channels: string[] = [];
    const io: ServerSideEmitter = { serverSideEmit: (e) => (channels.push(e), true), on: (e) => void channels.push(e) };
    const bus = new SocketIoBus<Effect>(io, 'a', effect, createLogger('silent'));
    bus.subscribe(() => undefined);
    bus.publish('lec', { type: 'pipeClosed', fromNode: 'a' });
    expect(channels).toEqual([BUS_CHANNEL, BUS_CHANNEL]);
  });
});
