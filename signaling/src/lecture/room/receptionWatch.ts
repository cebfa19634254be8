/**
 * Tells a receiver when its link steps it down (audio plus slides, audio only) and when it climbs
 * back. The media server drops a layered video while the link's estimate is below its lowest layer
 * and brings it back as the estimate grows; reception.ts turns that on-and-off into a mode, which
 * is re-read every second while anything is or was starved, and told when it changes.
 */
import type { MediaNodeEvents } from '@tongtang/shared';
import type { LectureRoom } from './LectureRoom.ts';
import { receptionMode, recordChange, starvedShare } from '../machine/reception.ts';
import type { Session } from './Session.ts';

const TICK_MS = 1_000;
/** A climb back waits this long after the last step: a link on the edge does not flap between modes. */
export const CLIMB_AFTER_MS = 8_000;

const RANK = { audio: 0, slides: 1, full: 2 } as const;

export function consumerLayersChanged(room: LectureRoom, event: MediaNodeEvents['consumerLayers'], now = Date.now()): void {
  const session = room.allSessions().find((s) => s.peerId === event.peerId);
  if (!session || !session.consumers.has(event.consumerId)) return;
  const source = room.producer(event.producerId)?.info.source;
  if (source !== 'camera' && source !== 'screen') return;
  let video = session.videoReception.get(event.consumerId);
  if (!video) {
    video = { source, changes: [] };
    session.videoReception.set(event.consumerId, video);
  }
  if (video.changes.at(-1)?.starved === event.starved) return;
  recordChange(video, now, event.starved);
  reconsider(session);
}

/** A consumer went away (closed, withdrawn): it no longer counts. */
export function consumerGone(session: Session, consumerId: string): void {
  if (session.videoReception.delete(consumerId)) reconsider(session);
}

/** Re-reads the mode now, tells a change, and keeps watching while anything may still change. */
function reconsider(session: Session): void {
  if (session.closed) return stopWatching(session);
  const now = Date.now();
  const mode = receptionMode(session.videoReception.values(), now, session.reception);
  const climbing = RANK[mode] > RANK[session.reception];
  if (mode !== session.reception && (!climbing || now - session.receptionChangedAt >= CLIMB_AFTER_MS)) {
    session.reception = mode;
    session.receptionChangedAt = now;
    session.log.info({ mode }, 'reception changed');
    session.emit('media:reception', { mode });
  }
  const unsettled = mode !== 'full' || session.reception !== 'full' || [...session.videoReception.values()].some((v) => starvedShare(v, now) > 0);
  if (!unsettled) return stopWatching(session);
  if (!session.receptionTimer) {
    session.receptionTimer = setInterval(() => reconsider(session), TICK_MS);
    session.receptionTimer.unref();
  }
}

function stopWatching(session: Session): void {
  clearInterval(session.receptionTimer);
  session.receptionTimer = undefined;
}
