/**
 * What a connection published belongs to that connection's media peer: when a participant's
 * older connection is detached late (after its page already reconnected and published again),
 * only the older connection's producers leave the lecture.
 */
import { describe, expect, it } from 'vitest';
import type { BroadcastName, MediaNode, Participant } from '@tongtang/shared';
import { LocalBackplane } from '../../backplane/LocalBackplane.ts';
import { createLogger } from '../../logger.ts';
import type { Effect } from '../machine/machine.ts';
import { LectureRoom } from './LectureRoom.ts';
import type { ParticipantLink } from './ParticipantLink.ts';
import { Session } from './Session.ts';
import type { SharedLecture } from '../replay/sharedLecture.ts';

function recordingLink(): ParticipantLink & { events: BroadcastName[] } {
  const events: BroadcastName[] = [];
  return { events, send: (event) => void events.push(event), kick: () => undefined, gone: false };
}

async function room() {
  const backplane = new LocalBackplane<SharedLecture, Effect>();
  const closed: string[] = [];
  const media = {
    closePeer: async () => undefined,
    closeProducer: async (_lecture: string, producerId: string) => void closed.push(producerId),
    closeConsumer: async () => undefined,
  } as unknown as MediaNode;
  const r = await LectureRoom.open('lec', 'Lecture', 2, {
    store: backplane.store, bus: backplane.attach(), cascade: backplane.cascade, media, nodeId: 'local',
    log: createLogger('silent'), runEffects: async () => undefined,
    tierDefaults: { lecturer: 'high', classroom: 'high', assistant: 'high', student: 'high', observer: 'high' },
  });
  return { room: r, closed };
}

const lecturer: Participant = { id: 'prof', role: 'lecturer', displayName: 'Prof', classroomId: null };
const publish = (r: LectureRoom, s: Session, id: string) => r.addProducer(s, {
  id, participantId: s.id, role: s.participant.role, displayName: s.participant.displayName, source: 'camera', kind: 'video', paused: false,
});

describe('producers belong to the connection that published them', () => {
  it('a late detach of the older connection leaves the newer one\'s producers alone', async () => {
    const { room: r } = await room();
    const oldLink = recordingLink();
    const older = new Session(oldLink, lecturer, createLogger('silent'));
    await r.attach(older);
    await publish(r, older, 'cam-1');

    const newer = new Session(recordingLink(), lecturer, createLogger('silent'));
    const previous = await r.attach(newer);
    expect(previous).toBe(older);
    previous!.replaced('replaced by a new connection');
    await publish(r, newer, 'cam-2');

    await r.detach(older);
    expect(r.producers().map((e) => e.info.id)).toEqual(['cam-2']);
    expect(r.session('prof')).toBe(newer);
  });

  it('ending the lecture closes what this node\'s connections published, and tells their owners', async () => {
    const { room: r, closed } = await room();
    const link = recordingLink();
    const s = new Session(link, lecturer, createLogger('silent'));
    await r.attach(s);
    await publish(r, s, 'cam-1');
    await r.dispatch({ type: 'lecture.end', actor: s.actor, now: 1 });
    // runEffects is a no-op here: the room's own reaction to lectureChanged is what is tested.
    await r.lectureInfoChanged();
    expect(closed).toEqual(['cam-1']);
    expect(r.producers()).toEqual([]);
    expect(link.events).toContain('producer:removed');
  });
});
