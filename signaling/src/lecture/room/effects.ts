/**
 * Carries out what the lecture machine decided: who gets told what (the rules are audience.ts),
 * and which media changes follow a lecture or floor change.
 */
import { receivesChat, receivesPollUpdate, seesAttendance, seesLiveCounts, seesTiers } from '../machine/audience.ts';
import { attendance, floorState, pollView, type Effect } from '../machine/machine.ts';
import { scheduleHands } from './handsFanout.ts';
import type { LectureRoom } from './LectureRoom.ts';
import type { Session } from './Session.ts';

/** A broadcast filter from a rule over the viewer's role. */
const byRole = (rule: (role: Session['participant']['role']) => boolean) => (s: Session) => rule(s.participant.role);

export async function runEffects(room: LectureRoom, effects: Effect[]): Promise<void> {
  let stageChanged = false;
  for (const effect of effects) {
    switch (effect.type) {
      case 'lectureChanged':
        await room.lectureInfoChanged();
        break;
      case 'handsChanged':
        scheduleHands(room);
        break;
      case 'floorChanged':
        room.broadcast('floor:updated', floorState(room.classState));
        // A speaker leaving the floor stops publishing at once; its room camera (if a classroom)
        // stays, and the visibility sync below takes it back to the lecturer's wall only.
        for (const participantId of effect.revoked) {
          for (const p of room.producersOf(participantId)) {
            // Hardware stays: its room microphone is paused (RoomSources), not closed.
            if (p.via === undefined && (p.role !== 'classroom' || p.source !== 'camera')) await room.closeProducer(p.id);
          }
        }
        stageChanged = true;
        break;
      case 'speakerMuted':
        for (const p of room.producersOf(effect.participantId)) {
          if (p.source !== 'microphone') continue;
          await room.pauseProducer(p.id, effect.muted); // on the speaker's own node
        }
        room.broadcast('floor:updated', floorState(room.classState));
        break;
      case 'speakerCameraStopped':
        for (const p of room.producersOf(effect.participantId)) {
          // A classroom's hardware camera is its room camera, on the wall whatever the floor says.
          if (p.source === 'camera' && p.via === undefined) await room.closeProducer(p.id);
        }
        room.broadcast('floor:updated', floorState(room.classState));
        break;
      case 'chatPosted': {
        const m = effect.message;
        room.broadcast('chat:posted', m, m.to === 'everyone' ? undefined : (s) => receivesChat(s.participant, m));
        break;
      }
      case 'reactionSent':
        room.broadcast('reaction:sent', {
          emoji: effect.emoji, site: effect.site, displayName: effect.displayName, counts: room.classState.reactions,
        }, byRole(seesLiveCounts)); // the sender gets the counts in its own acknowledgement
        break;
      case 'pollChanged': {
        const poll = room.classState.polls.find((p) => p.id === effect.pollId);
        for (const s of room.allSessions()) {
          if (receivesPollUpdate(s.participant.role, poll)) s.emit('poll:updated', pollView(room.classState, effect.pollId, s.actor));
        }
        break;
      }
      case 'attendanceChanged':
        broadcastAttendance(room);
        break;
      case 'tierChanged':
        // This node's receivers at that site follow at once (other nodes replay the effect).
        for (const s of room.allSessions()) if (s.participant.classroomId === effect.classroomId) await room.applyLayers(s);
        room.broadcast('tiers:updated', room.tiers, byRole(seesTiers));
        break;
    }
  }
  if (stageChanged) await room.syncVisibility();
}

export function broadcastAttendance(room: LectureRoom): void {
  const att = attendance(room.classState, room.participants(), room.classroomNames);
  room.broadcast('attendance:updated', att, byRole(seesAttendance));
}
