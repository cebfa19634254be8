/** lecture:join — turns an authenticated socket into a participant of its lecture. */
import { AppError, type JoinResponse, type Participant } from '@tongtang/shared';
import type { Logger } from '../logger.ts';
import { receivesChat, seesAttendance, seesOwnRoomSource, seesSources, seesTiers } from './audience.ts';
import { attendance, floorState, handsView, pollViews } from './machine/machine.ts';
import { studentHandsKey } from './handsFanout.ts';
import { broadcastAttendance } from './effects.ts';
import type { Lectures } from './Lectures.ts';
import { Session, type TypedSocket } from './Session.ts';

export async function joinLecture(socket: TypedSocket, lectures: Lectures, log: Logger): Promise<JoinResponse> {
  if (socket.data.joining || (socket.data.session && !socket.data.session.closed)) throw new AppError('CONFLICT', 'already joined');
  // Taken before the first await: a second join on this socket would otherwise attach a second
  // session that replaces (and disconnects) this very socket.
  socket.data.joining = true;
  try {
    return await join(socket, lectures, log);
  } finally {
    socket.data.joining = false;
  }
}

async function join(socket: TypedSocket, lectures: Lectures, log: Logger): Promise<JoinResponse> {
  const { claims } = socket.data;
  const participant: Participant = {
    id: claims.sub,
    role: claims.role,
    displayName: claims.role === 'classroom' ? (claims.clsName ?? claims.name) : claims.name,
    classroomId: claims.cls ?? null,
  };
  const room = await lectures.getOrCreate(claims.lec);
  // Ask the media node first: if it cannot serve the lecture, nobody is half-joined.
  const routerRtpCapabilities = await room.media.getRouterRtpCapabilities(room.id);
  if (socket.disconnected) throw new AppError('CONFLICT', 'disconnected while joining');

  const session = new Session(socket, participant, log.child({ lectureId: room.id, participantId: participant.id, role: participant.role }));
  socket.data.session = session;
  const previous = await room.attach(session);
  if (previous) {
    previous.log.info('replaced by a new connection');
    previous.emit('session:replaced', {});
    previous.closed = true;
    previous.socket.disconnect(true);
  }
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
