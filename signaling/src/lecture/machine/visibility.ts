/**
 * Who receives whose media, and who may publish what. Pure rules, so they are tested without
 * sockets and the room only has to re-run them when the lecture or the floor changes.
 */
import { can, type MediaSource, type Participant } from '@tongtang/shared';

export interface StageContext {
  /** The lecture program reaches receivers only while the lecture is live. */
  live: boolean;
  /** Participants holding the floor: everything they publish reaches everyone. */
  speakers: ReadonlySet<string>;
}

export interface PublishedBy {
  participant: Participant;
  source: MediaSource;
}

export function canReceive(viewer: Participant, producer: PublishedBy, ctx: StageContext): boolean {
  const owner = producer.participant;
  if (viewer.id === owner.id || !can(viewer.role, 'media:receive')) return false;
  if (owner.role === 'lecturer') return ctx.live;
  if (ctx.speakers.has(owner.id)) return true;
  // A partner classroom's room camera feeds the lecturer's wall (and the tech staff's view).
  if (owner.role === 'classroom' && producer.source === 'camera') {
    return viewer.role === 'lecturer' || viewer.role === 'observer';
  }
  return false;
}

export type PublishVerdict = { ok: true } | { ok: false; reason: string };

/**
 * `cameraStopped`: the lecturer stopped this speaker's camera; it stays off until the next grant,
 * whatever the client asks (the web client honours it too, but the server is what enforces it).
 */
export function mayPublish(participant: Participant, source: MediaSource, onFloor: boolean, cameraStopped = false): PublishVerdict {
  const { role } = participant;
  if (source === 'camera' && onFloor && cameraStopped) return { ok: false, reason: 'the lecturer stopped your camera' };
  if (can(role, 'media:publishProgram')) return { ok: true };
  if (source === 'screen') return { ok: false, reason: 'only the lecturer shares a screen' };
  if (source === 'camera' && can(role, 'media:publishRoomCamera')) return { ok: true };
  if (can(role, 'media:publishOnFloor')) {
    return onFloor ? { ok: true } : { ok: false, reason: `a ${role} publishes ${source} only while holding the floor` };
  }
  return { ok: false, reason: `a ${role} does not publish media` };
}
