/** Pure readings of session and media state that several views share. */
import type { FloorState, HandEntry, HandsView, Participant, Speaker } from '@tongtang/shared';
import type { RemoteConsumer } from '../media/RoomClient.ts';

/** The lecturer's program: camera and (optionally) screen share. */
export function lectureFeeds(consumers: readonly RemoteConsumer[]): { camera?: RemoteConsumer; screen?: RemoteConsumer } {
  const video = consumers.filter((c) => c.role === 'lecturer' && c.kind === 'video');
  return { camera: video.find((c) => c.source === 'camera'), screen: video.find((c) => c.source === 'screen') };
}

export interface StageFeed {
  speaker: Speaker;
  video: RemoteConsumer | undefined;
}

/** Everybody holding the floor except me, with their camera when I receive it. */
export function speakerFeeds(floor: FloorState, consumers: readonly RemoteConsumer[], selfId: string | undefined): StageFeed[] {
  return floor.speakers
    .filter((s) => s.participantId !== selfId)
    .map((speaker) => ({
      speaker,
      video: consumers.find((c) => c.participantId === speaker.participantId && c.kind === 'video' && c.source === 'camera'),
    }));
}

export function isSpeaking(floor: FloorState, self: Participant | null): boolean {
  return !!self && floor.speakers.some((s) => s.participantId === self.id);
}

/** My raised hand: my own, or (for a classroom endpoint or assistant) my classroom's. */
export function myHand(hands: HandsView, self: Participant | null): HandEntry | undefined {
  if (!self) return undefined;
  return hands.entries.find((e) =>
    e.participantId === self.id || e.raisedBy === self.id ||
    (e.kind === 'classroom' && self.classroomId !== null && e.classroomId === self.classroomId));
}

export interface WallSlot {
  classroomId: string;
  name: string;
  online: boolean;
  video: RemoteConsumer | undefined;
}

/**
 * One slot per partner classroom: connected classroom endpoints, plus classrooms the attendance
 * roll knows about but that are not connected (so the lecturer sees who is missing).
 */
export function wallSlots(
  participants: readonly Participant[],
  consumers: readonly RemoteConsumer[],
  known: ReadonlyArray<{ classroomId: string; name: string }>,
): WallSlot[] {
  const slots = new Map<string, WallSlot>();
  for (const k of known) slots.set(k.classroomId, { classroomId: k.classroomId, name: k.name, online: false, video: undefined });
  for (const p of participants) {
    if (p.role !== 'classroom') continue;
    const classroomId = p.classroomId ?? p.id;
    const video = consumers.find((c) => c.participantId === p.id && c.source === 'camera' && c.kind === 'video');
    slots.set(classroomId, { classroomId, name: slots.get(classroomId)?.name ?? p.displayName, online: true, video });
  }
  return [...slots.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Only the lecturer's camera is sent in simulcast (media/profiles.ts); other streams have one layer. */
export function isSimulcast(consumer: RemoteConsumer | undefined): boolean {
  return consumer?.role === 'lecturer' && consumer.source === 'camera';
}

/** The open poll, if any; the server allows one at a time. */
export function openPoll<P extends { state: 'open' | 'closed' }>(polls: readonly P[]): P | undefined {
  return polls.find((p) => p.state === 'open');
}

/** A partner classroom's hand entry (raised by its endpoint or its assistant). */
export function classroomHand(hands: HandsView, classroomId: string): HandEntry | undefined {
  return hands.entries.find((e) => e.kind === 'classroom' && e.classroomId === classroomId);
}
