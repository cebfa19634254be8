import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { classroomHand, wallSlots } from '../../session/selectors.ts';
import { useMedia, useNetwork, useSessionState } from '../SessionContext.tsx';
import { ReactionFeed } from './ReactionFeed.tsx';
import { WallTile } from './WallTile.tsx';

/** The lecturer's wall: one tile per partner classroom; a pinned one is shown large above the rest. */
export function Wall() {
  const { t } = useTranslation();
  const participants = useSessionState((s) => s.participants);
  const attendance = useSessionState((s) => s.attendance);
  const floor = useSessionState((s) => s.floor);
  const hands = useSessionState((s) => s.hands);
  const qualities = useNetwork((n) => n.consumers);
  const { consumers } = useMedia();
  const [pinned, setPinned] = useState<string | null>(null);
  const known = attendance?.classrooms.map(({ classroomId, name }) => ({ classroomId, name })) ?? [];
  const slots = wallSlots(participants, consumers, known);
  const onStage = new Set(floor.speakers.map((s) => s.classroomId));
  const pinnedSlot = slots.find((s) => s.classroomId === pinned);
  const ordered = pinnedSlot ? [pinnedSlot, ...slots.filter((s) => s !== pinnedSlot)] : slots;

  return (
    <section className="wall-section" aria-labelledby="wall-heading">
      <div className="section-head">
        <h2 id="wall-heading">{t('wall.heading')}</h2>
        <ReactionFeed />
      </div>
      {slots.length === 0 && <p className="muted">{t('wall.empty')}</p>}
      <div className={pinnedSlot ? 'wall has-pinned' : 'wall'} data-testid="wall">
        {ordered.map((slot) => (
          <WallTile
            key={slot.classroomId}
            slot={slot}
            quality={slot.video ? qualities[slot.video.id] ?? 'unknown' : 'unknown'}
            handRaised={classroomHand(hands, slot.classroomId) !== undefined}
            onFloor={onStage.has(slot.classroomId)}
            pinned={slot === pinnedSlot}
            onPin={() => setPinned(slot === pinnedSlot ? null : slot.classroomId)}
          />
        ))}
      </div>
    </section>
  );
}
