/**
 * Telling a lecture about its hand queue, at the scale of a 1+M+N class. Two costs grew faster
 * than the class: every change went to every student (500 students raising a hand each = 250,000
 * emits), and every change re-sent the whole queue to every staff member. So:
 * - a student hears only when its own entry or place changes (a raise behind it does not move
 *   it); its `total` is as of that moment;
 * - changes arriving together (a burst of raises read in one pass of the event loop) are told
 *   once, right after that pass: no added delay when it is quiet, one broadcast per pass when not.
 */
import type { HandEntry, HandsView } from '@tongtang/shared';
import { seesHandQueue } from '../machine/audience.ts';
import { handsView, type ClassState } from '../machine/machine.ts';
import type { LectureRoom } from './LectureRoom.ts';
import type { Session } from './Session.ts';

const scheduled = new WeakSet<LectureRoom>();

/** Sends the queue after the current pass of the event loop, once however many changes it brought. */
export function scheduleHands(room: LectureRoom): void {
  if (scheduled.has(room)) return;
  scheduled.add(room);
  setImmediate(() => {
    scheduled.delete(room);
    sendHands(room);
  });
}

/** What a student's view depends on: its entry and its place (total aside). */
export function studentHandsKey(view: HandsView): string {
  return view.myPosition === null ? '' : `${view.entries[0]?.id ?? ''}@${view.myPosition}`;
}

export function sendHands(room: LectureRoom, force = false): void {
  const state = room.classState;
  let places: Map<string, { entry: HandEntry; position: number }> | undefined;
  for (const s of room.allSessions()) {
    if (seesHandQueue(s.participant.role)) {
      s.emit('hands:updated', handsView(state, s.actor));
      continue;
    }
    places ??= studentPlaces(state);
    const view = studentView(state, places, s);
    const key = studentHandsKey(view);
    if (!force && key === s.handsKey) continue;
    s.handsKey = key;
    s.emit('hands:updated', view);
  }
}

/** Each student's own entry and place, in one pass over the queue instead of one per student. */
function studentPlaces(state: ClassState): Map<string, { entry: HandEntry; position: number }> {
  const places = new Map<string, { entry: HandEntry; position: number }>();
  state.hands.forEach((entry, i) => {
    if (entry.kind === 'student') places.set(entry.participantId, { entry, position: i + 1 });
  });
  return places;
}

function studentView(state: ClassState, places: Map<string, { entry: HandEntry; position: number }>, s: Session): HandsView {
  const mine = places.get(s.id);
  return { entries: mine ? [mine.entry] : [], total: state.hands.length, myPosition: mine?.position ?? null };
}
