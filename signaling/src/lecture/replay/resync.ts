/**
 * Self-repair of a room from the store, run periodically in a cluster: picks up changes whose
 * bus messages were lost (Redis outage), and ends the participation of those whose node died.
 */
import { floorState } from '../machine/machine.ts';
import { sendHands } from '../room/handsFanout.ts';
import { broadcastAttendance } from '../room/effects.ts';
import type { LectureRoom } from '../room/LectureRoom.ts';

/**
 * How long the participants of a dead node keep their place (hand, floor) for them to reconnect
 * to another node: a page notices, asks where to go and rejoins in seconds, more on a busy
 * network. Past this, they have left.
 */
export const RESUME_GRACE_MS = 15_000;
/** Per room: when each participant was first seen on a dead node. */
const orphanedSince = new WeakMap<LectureRoom, Map<string, number>>();

export async function resyncRoom(room: LectureRoom, aliveNodes: ReadonlySet<string>, judgeDeadNodes: boolean, now = Date.now()): Promise<void> {
  const changed = await room.reloadShared();
  await room.republishLocal();
  await room.reloadRegistries();
  if (changed) {
    room.broadcast('lecture:updated', room.info);
    room.broadcast('floor:updated', floorState(room.classState));
    sendHands(room, true);
    broadcastAttendance(room);
  }

  let orphans = orphanedSince.get(room);
  if (!orphans) orphanedSince.set(room, (orphans = new Map()));
  for (const id of orphans.keys()) {
    const entry = room.rosterEntry(id);
    if (!entry || aliveNodes.has(entry.nodeId)) orphans.delete(id); // left, or back on a live node
  }
  for (const entry of room.rosterEntries()) {
    const id = entry.participant.id;
    let dead = judgeDeadNodes && !aliveNodes.has(entry.nodeId);
    if (dead) {
      const since = orphans.get(id) ?? now;
      orphans.set(id, since);
      dead = now - since >= RESUME_GRACE_MS;
    }
    const strayHere = entry.nodeId === room.nodeId && !room.session(id);
    if (!dead && !strayHere) continue;
    orphans.delete(id);
    await room.dropOrphan(entry);
  }
  for (const entry of room.producers()) {
    if (judgeDeadNodes && !aliveNodes.has(entry.nodeId)) await room.dropOrphanProducer(entry);
  }
  await room.syncVisibility();
}
