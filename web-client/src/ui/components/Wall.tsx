import { t } from '../../i18n/index.ts';
import { wallSlots } from '../../session/selectors.ts';
import { useMedia, useSessionState } from '../SessionContext.tsx';
import { VideoTile } from './VideoTile.tsx';

/** The lecturer's wall: one tile per partner classroom, showing its room camera. */
export function Wall() {
  const { participants, attendance, floor } = useSessionState();
  const { consumers } = useMedia();
  const known = attendance?.classrooms.map(({ classroomId, name }) => ({ classroomId, name })) ?? [];
  const slots = wallSlots(participants, consumers, known);
  const onStage = new Set(floor.speakers.map((s) => s.classroomId));

  return (
    <section className="wall-section">
      <h2>{t.wall.heading}</h2>
      {slots.length === 0 && <p className="muted">{t.wall.empty}</p>}
      <div className="wall" data-testid="wall">
        {slots.map((slot) => (
          <VideoTile
            key={slot.classroomId}
            track={slot.video?.track}
            paused={slot.video?.producerPaused}
            label={slot.online ? slot.name : `${slot.name} · ${t.wall.offline}`}
            testId={`wall-tile-${slot.classroomId}`}
            className={['wall-tile', slot.online ? '' : 'offline', onStage.has(slot.classroomId) ? 'on-stage' : ''].join(' ')}
          />
        ))}
      </div>
    </section>
  );
}
