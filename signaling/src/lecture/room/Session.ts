/** One participant's live connection: the link to its page, its media peer and what it has been told. */
import type { BroadcastMap, BroadcastName, MediaSource, Participant, ReceptionMode } from '@tongtang/shared';
import type { Logger } from '../../logger.ts';
import type { Actor } from '../machine/machine.ts';
import type { ParticipantLink } from './ParticipantLink.ts';
import type { VideoReception } from '../machine/reception.ts';

let peerSeq = 0;
const newPeerId = (participantId: string): string => `${participantId}~${(++peerSeq).toString(36)}`;

export class Session {
  readonly participant: Participant;
  /**
   * The media peer id is per connection, not per participant: a reconnecting participant gets a
   * fresh peer while the old one is still being torn down, and the two never collide.
   */
  peerId: string;
  /** consumerId → producerId */
  readonly consumers = new Map<string, string>();
  /** consumerId → the spatial layer the client asked for (the size it shows the video at). */
  readonly requestedLayers = new Map<string, number>();
  /** consumerId → whether its layered video (the lecturer's camera, the slides) is starved by the link. */
  readonly videoReception = new Map<string, VideoReception>();
  /** What this participant was last told its link carries (receptionWatch.ts). */
  reception: ReceptionMode = 'full';
  receptionChangedAt = 0;
  receptionTimer: NodeJS.Timeout | undefined;
  /** Producer ids this participant was told it may receive. */
  readonly announced = new Set<string>();
  /**
   * Reservations taken before awaiting the media node, so a burst of identical requests cannot
   * all pass a limit that is only recorded once the first one returns: sources being published,
   * producers being consumed.
   */
  readonly publishing = new Set<MediaSource>();
  readonly consuming = new Set<string>();
  hasCapabilities = false;
  closed = false;
  /** For a student: its place in the hand queue as last told (handsFanout.ts). */
  handsKey: string | undefined;

  constructor(
    private readonly link: ParticipantLink,
    participant: Participant,
    readonly log: Logger,
  ) {
    this.participant = participant;
    this.peerId = newPeerId(participant.id);
  }

  /**
   * Gives the session a fresh media peer (after its worker died, or on media:restart): nothing
   * received, nothing announced, capabilities to be sent again. Its producers are the room's to close.
   */
  renewPeer(): void {
    this.peerId = newPeerId(this.participant.id);
    this.consumers.clear();
    this.requestedLayers.clear();
    // The new peer starts with everything; the client resets what it shows on a media restart.
    this.videoReception.clear();
    clearInterval(this.receptionTimer);
    this.receptionTimer = undefined;
    this.reception = 'full';
    this.announced.clear();
    this.hasCapabilities = false;
  }

  get id(): string {
    return this.participant.id;
  }

  get actor(): Actor {
    const { id, role, displayName, classroomId } = this.participant;
    return { participantId: id, role, displayName, classroomId };
  }

  emit<E extends BroadcastName>(event: E, payload: BroadcastMap[E]): void {
    if (this.closed) return;
    this.link.send(event, payload);
  }

  /** A newer connection of the same participant took over: this one is told so and ended. */
  replaced(why: string, details: Record<string, unknown> = {}): void {
    this.log.info(details, why);
    this.emit('session:replaced', {});
    this.closed = true;
    this.link.kick();
  }
}
