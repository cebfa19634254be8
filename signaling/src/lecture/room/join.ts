/** lecture:join — turns an authenticated connection into a participant of its lecture. */
import { AppError, type JoinClaims, type JoinResponse, type Participant } from '@tongtang/shared';
import type { Logger } from '../../logger.ts';
import { receivesChat, seesAttendance, seesOwnRoomSource, seesSources, seesTiers } from '../machine/audience.ts';
import { attendance, floorState, handsView, pollViews } from '../machine/machine.ts';
import { studentHandsKey } from './handsFanout.ts';
import { broadcastAttendance } from './effects.ts';
import type { Lectures } from './Lectures.ts';
import type { ParticipantLink } from './ParticipantLink.ts';
import { Session } from './Session.ts';

export interface JoinRequest {
  claims: JoinClaims;
  link: ParticipantLink;
  /** Told the session before it enters the room, so a connection lost meanwhile can detach it. */
  adopt(session: Session): void;
}

export async function joinLecture({ claims, link, adopt }: JoinRequest, lectures: Lectures, log: Logger): Promise<JoinResponse> {
  const participant: Participant = {
    id: claims.sub,
    role: claims.role,
    displayName: claims.role === 'classroom' ? (claims.clsName ?? claims.name) : claims.name,
    classroomId: claims.cls ?? null,
  };
  const room = await lectures.getOrCreate(claims.lec);
  // Ask the media node first: if it cannot serve the lecture, nobody is half-joined.
  const routerRtpCapabilities = await room.media.getRouterRtpCapabilities(room.id);
  if (link.gone) throw new AppError('CONFLICT', 'disconnected while joining');

  const session = new Session(link, participant, log.child({ lectureId: room.id, participantId: participant.id, role: participant.role }));
  adopt(session);
  const previous = await room.attach(session);
  previous?.replaced('replaced by a new connection');
  const producers = room.visibleProducers(session);
  for (const p of producers) session.announced.add(p.id);
  session.log.info('joined');
  broadcastAttendance(room);

  const state = room.classState;
  const { role } = participant;
  const hands = handsView(state, session.actor);
  session.handsKey = studentHandsKey(hands);
  return {
    self: participant,
    lecture: room.info,
    participants: room.rosterFor(session),
    routerRtpCapabilities,
    producers,
    hands,
    floor: floorState(state),
    chat: state.chat.filter((m) => receivesChat(participant, m)).slice(-50),
    polls: pollViews(state, session.actor),
    reactions: state.reactions,
    attendance: seesAttendance(role) ? attendance(state, room.participants(), room.classroomNames) : null,
    tiers: seesTiers(role) ? room.tiers : null,
    sources: seesSources(role) ? room.sources.list() : null,
    roomSource: seesOwnRoomSource(role) ? room.sources.kindFor(participant.id) : null,
  };
}
