/** Replays what another node did in a lecture for this node's own sessions. */
import type { BusMessage } from '../cluster/LectureBus.ts';
import type { CascadeLinks } from '../cluster/Cascade.ts';
import { isCascading } from '../cluster/isCascading.ts';
import type { LectureRoom } from './LectureRoom.ts';

export async function applyRemoteEvent(room: LectureRoom, { event, fromNode }: BusMessage, cascade?: CascadeLinks): Promise<void> {
  switch (event.type) {
    case 'effects':
      await room.reloadShared();
      await room.deps.runEffects(room, event.effects);
      return;
    case 'joined': {
      const { participant } = event.entry;
      const known = room.roster.has(participant.id);
      room.roster.set(participant.id, event.entry);
      const local = room.session(participant.id);
      if (local && event.entry.nodeId !== room.nodeId) {
        // The participant reconnected to another node: this older connection gives way.
        local.replaced('replaced by a connection on another node', { to: event.entry.nodeId });
      }
      if (!known) room.emitJoined(participant);
      if (participant.role === 'classroom') await room.reloadShared();
      await room.syncVisibility();
      return;
    }
    case 'left': {
      const entry = room.roster.get(event.participantId);
      if (!entry || entry.nodeId !== event.nodeId) return;
      room.roster.delete(event.participantId);
      room.emitLeft(entry.participant);
      await room.syncVisibility();
      return;
    }
    case 'producerAdded':
      room.producerEntries.set(event.entry.info.id, event.entry);
      await room.syncVisibility();
      return;
    case 'producerRemoved':
      await room.forgetProducer(event.producerId);
      // Its copy here (if it was pulled over) goes too, and with it the local consumers.
      await room.closeImported(event.producerId);
      return;
    case 'producerPaused':
      await room.setProducerPaused(event.producerId, event.paused);
      if (isCascading(room.media) && room.media.hasProducer(room.id, event.producerId)) {
        await room.media.setProducerPaused(room.id, event.producerId, event.paused).catch(() => undefined);
      }
      return;
    case 'pipeClosed':
      await cascade?.closeLink(room.id, fromNode);
      return;
  }
}
