/** What the media layer shows the rest of the page: plain snapshots, replaced on every change. */
import type { MediaKind, MediaSource } from '@tongtang/shared';
import type { Role } from '@tongtang/shared';

export interface LocalProducer {
  id: string;
  source: MediaSource;
  kind: MediaKind;
  track: MediaStreamTrack | null;
  /** Paused on the server, e.g. the lecturer muted this speaker. */
  paused: boolean;
}

export interface RemoteConsumer {
  id: string;
  producerId: string;
  participantId: string;
  role: Role;
  displayName: string;
  source: MediaSource;
  kind: MediaKind;
  track: MediaStreamTrack;
  producerPaused: boolean;
}

export interface MediaSnapshot {
  producers: readonly LocalProducer[];
  consumers: readonly RemoteConsumer[];
  /** Sources being published right now (waiting for the camera, the screen picker...). */
  starting: readonly MediaSource[];
}
