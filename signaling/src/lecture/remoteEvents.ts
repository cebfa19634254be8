/** Replays what another node did in a lecture for this node's own sessions. */
import type { BusMessage } from '../backplane/LectureBus.ts';
import type { Effect } from './machine/machine.ts';
import type { LectureRoom } from './LectureRoom.ts';

export async function applyRemoteEvent(room: LectureRoom, { event, fromNode }: BusMessage<Effect>): Promise<void> {
  switch (event.type) {
    case 'effects':
      // Several changes in a row: the first reload brings the newest state, the rest need none.
      await room.reloadShared(event.revision);
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
      await room.deps.cascade.pauseImported(room.id, event.producerId, event.paused);
      return;
    case 'pipeClosed':
      await room.deps.cascade.closeLink(room.id, fromNode);
      return;
  }
}
