/**
 * How lecture code reaches one participant's connection: it sends it events and can end it. The
 * transport behind it (a Socket.IO socket, see rpc/socketLink.ts) is not the lecture's business.
 */
import type { BroadcastMap, BroadcastName } from '@tongtang/shared';

export interface ParticipantLink {
  send<E extends BroadcastName>(event: E, payload: BroadcastMap[E]): void;
  /** Ends the connection: the participant was replaced by a newer connection of its own. */
  kick(): void;
  /** The connection is already gone. */
  readonly gone: boolean;
}
