/**
 * Self-repair of a room from the store, run periodically in a cluster: picks up changes whose
 * bus messages were lost (Redis outage), and ends the participation of those whose node died.
 */
import { floorState, handsView } from './classroom.ts';
import { broadcastAttendance } from './effects.ts';
import type { LectureRoom } from './LectureRoom.ts';

export async function resyncRoom(room: LectureRoom, aliveNodes: ReadonlySet<string>, judgeDeadNodes: boolean): Promise<void> {
  const before = JSON.stringify([room.info, room.classState]);
  await room.reloadShared();
  await room.republishLocal();
  await room.reloadRegistries();
  if (JSON.stringify([room.info, room.classState]) !== before) {
    room.broadcast('lecture:updated', room.info);
    room.broadcast('floor:updated', floorState(room.classState));
    for (const s of room.allSessions()) s.emit('hands:updated', handsView(room.classState, s.actor));
    broadcastAttendance(room);
  }

  const store = room.deps.store;
  for (const entry of [...room.roster.values()]) {
    const dead = judgeDeadNodes && !aliveNodes.has(entry.nodeId);
    const strayHere = entry.nodeId === room.nodeId && !room.session(entry.participant.id);
    if (!dead && !strayHere) continue;
    // Only one node wins the removal, so participant.left runs once.
    if (await store.removeParticipant(room.id, entry.participant.id, entry.nodeId)) {
      room.log.info({ participantId: entry.participant.id, nodeId: entry.nodeId }, 'participant gone with its node');
      await room.participantLeft(entry.participant.id);
    } else {
      room.roster.delete(entry.participant.id);
    }
  }
  for (const entry of [...room.producerEntries.values()]) {
    if (!judgeDeadNodes || aliveNodes.has(entry.nodeId)) continue;
    await store.removeProducer(room.id, entry.info.id);
    await room.forgetProducer(entry.info.id);
    await room.closeImported(entry.info.id);
  }
  await room.syncVisibility();
}
