import { t } from '../../i18n/index.ts';
import { useSession, useSessionState } from '../SessionContext.tsx';
import { SpeakerArea } from './SpeakerArea.tsx';

/** The lecturer's floor control: the raised-hand queue (oldest first) and who is on stage. */
export function HandQueuePanel() {
  const session = useSession();
  const { hands, floor } = useSessionState();
  const full = floor.maxSpeakers > 0 && floor.speakers.length >= floor.maxSpeakers;

  return (
    <aside className="panel floor-panel">
      <section data-testid="speaker-list">
        <h3>
          {t.floor.speakersHeading}{' '}
          <span className="muted">{t.floor.limit(floor.speakers.length, floor.maxSpeakers)}</span>
        </h3>
        {floor.speakers.length === 0 && <p className="muted">{t.floor.speakersEmpty}</p>}
        <ul>
          {floor.speakers.map((s) => (
            <li key={s.participantId} data-testid={`speaker-entry-${s.participantId}`}>
              <span>{s.displayName}{s.micMuted && <em className="muted"> · {t.floor.micMuted}</em>}</span>
              <button type="button" className="danger" data-testid={`revoke-button-${s.participantId}`}
                onClick={() => void session.revoke(s.participantId)}>
                {t.floor.revoke}
              </button>
            </li>
          ))}
        </ul>
      </section>
      {/* Classrooms on stage already light up on the wall; students only appear here. */}
      <SpeakerArea layout="side" include={(s) => s.role !== 'classroom'} />
      <section data-testid="hand-queue">
        <h3>{t.hands.queueHeading} <span className="muted">{hands.total}</span></h3>
        {hands.entries.length === 0 && <p className="muted">{t.hands.queueEmpty}</p>}
        <ol>
          {hands.entries.map((e) => (
            <li key={e.id} data-testid={`hand-entry-${e.id}`} data-participant={e.participantId}>
              <span>
                {e.displayName}{' '}
                <em className="muted">{e.kind === 'classroom' ? t.hands.classroomHand : t.hands.studentHand}</em>
                {e.note && <span className="hand-note">“{e.note}”</span>}
              </span>
              <button type="button" className="primary" data-testid={`grant-button-${e.id}`} disabled={full}
                onClick={() => void session.grant(e.id)}>
                {t.hands.grant}
              </button>
            </li>
          ))}
        </ol>
      </section>
    </aside>
  );
}
