/** The Socket.IO side of a participant: what a socket carries, and the link the lecture talks through. */
import type { Socket } from 'socket.io';
import { AppError, type BroadcastMap, type BroadcastName, type ClientToServerEvents, type JoinClaims, type JoinResponse, type ServerToClientEvents } from '@tongtang/shared';
import { joinLecture } from '../lecture/room/join.ts';
import type { Lectures } from '../lecture/room/Lectures.ts';
import type { ParticipantLink } from '../lecture/room/ParticipantLink.ts';
import type { Session } from '../lecture/room/Session.ts';
import type { Logger } from '../logger.ts';

export interface SocketData {
  claims: JoinClaims;
  session?: Session;
  /** A lecture:join is in progress on this socket. */
  joining?: boolean;
}
export type TypedSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export function socketLink(socket: TypedSocket): ParticipantLink {
  return {
    send<E extends BroadcastName>(event: E, payload: BroadcastMap[E]) {
      // The typed emit needs the event's exact parameter tuple; the map guarantees it.
      (socket.emit as (e: E, p: BroadcastMap[E]) => boolean)(event, payload);
    },
    kick() {
      socket.disconnect(true);
    },
    get gone() {
      return socket.disconnected;
    },
  };
}

/** lecture:join on a socket: one join per socket, the session kept on the socket for its requests and its disconnect. */
export async function joinOnSocket(socket: TypedSocket, lectures: Lectures, log: Logger): Promise<JoinResponse> {
  if (socket.data.joining || (socket.data.session && !socket.data.session.closed)) throw new AppError('CONFLICT', 'already joined');
  // Taken before the first await: a second join on this socket would otherwise attach a second
  // session that replaces (and disconnects) this very socket.
  socket.data.joining = true;
  try {
    const adopt = (session: Session) => { socket.data.session = session; };
    return await joinLecture({ claims: socket.data.claims, link: socketLink(socket), adopt }, lectures, log);
  } finally {
    socket.data.joining = false;
  }
}
