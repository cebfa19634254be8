/** Keeps the rooms in step with what happens on the media side on its own (closes, dead workers). */
import type { MediaNode } from '../../shared/src/index.ts';
import type { Lectures } from './lecture/Lectures.ts';
import type { Logger } from './logger.ts';

export function wireMediaEvents(media: MediaNode, lectures: Lectures, log: Logger): void {
  media.on('consumerClosed', ({ lectureId, peerId, consumerId, producerId }) => {
    const session = lectures.get(lectureId)?.allSessions().find((s) => s.peerId === peerId);
    if (session?.consumers.delete(consumerId)) session.emit('consumer:closed', { consumerId, producerId });
  });
  media.on('producerClosed', ({ lectureId, producerId }) => {
    void lectures.get(lectureId)?.forgetProducer(producerId);
  });
  media.on('peersLostMedia', ({ lectureId, peerIds }) => {
    // Their transports are gone with the worker; reconnecting builds fresh ones on a live worker.
    const lost = new Set(peerIds);
    for (const session of lectures.get(lectureId)?.allSessions() ?? []) {
      if (!lost.has(session.peerId)) continue;
      log.warn({ lectureId, participantId: session.id }, 'media lost with its worker; asking the client to reconnect');
      session.socket.disconnect(true);
    }
  });
}
