/** Keeps the rooms in step with what happens on the media side on its own (closes, dead workers). */
import type { MediaNode } from '@tongtang/shared';
import type { Lectures } from './lecture/room/Lectures.ts';
import { consumerGone, consumerLayersChanged } from './lecture/room/receptionWatch.ts';
import type { Logger } from './logger.ts';

export function wireMediaEvents(media: MediaNode, lectures: Lectures, log: Logger): void {
  media.on('consumerClosed', ({ lectureId, peerId, consumerId, producerId }) => {
    const session = lectures.get(lectureId)?.allSessions().find((s) => s.peerId === peerId);
    session?.requestedLayers.delete(consumerId);
    if (session) consumerGone(session, consumerId);
    if (session?.consumers.delete(consumerId)) session.emit('consumer:closed', { consumerId, producerId });
  });
  media.on('producerClosed', ({ lectureId, producerId, workerDied }) => {
    // After a worker crash the owner keeps its track to republish it (media:reset below).
    void lectures.get(lectureId)?.forgetProducer(producerId, !workerDied);
  });
  media.on('consumerLayers', (event) => {
    const room = lectures.get(event.lectureId);
    if (room) consumerLayersChanged(room, event);
  });
  media.on('sourceHealth', ({ lectureId, slot, health }) => {
    const room = lectures.get(lectureId);
    void room?.sources.healthChanged(slot, health).catch((err) => room.log.warn({ err }, 'source health not passed on'));
  });
  media.on('peersLostMedia', ({ lectureId, peerIds }) => {
    // Their transports are gone with the worker. The signaling connection, the hand and the floor
    // are not: the client rebuilds its media on a live worker (media:restart) without reconnecting.
    const lost = new Set(peerIds);
    for (const session of lectures.get(lectureId)?.allSessions() ?? []) {
      if (!lost.has(session.peerId)) continue;
      log.warn({ lectureId, participantId: session.id }, 'media lost with its worker; asking the client to rebuild it');
      session.emit('media:reset', { reason: 'worker-died' });
    }
  });
}
