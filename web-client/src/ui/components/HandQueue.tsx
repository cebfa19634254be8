import { useTranslation } from 'react-i18next';
import { formatDuration, useNow } from '../hooks/useNow.ts';
import { useSession, useSessionState } from '../SessionContext.tsx';

/** The raised-hand queue, oldest first, with one-click grant and lower, and clear all. */
export function HandQueue() {
  const { t } = useTranslation();
  const session = useSession();
  const hands = useSessionState((s) => s.hands);
  const floor = useSessionState((s) => s.floor);
  const now = useNow(hands.entries.length > 0);
  const full = floor.maxSpeakers > 0 && floor.speakers.length >= floor.maxSpeakers;

  return (
    <section className="hands-section" data-testid="hand-queue" aria-labelledby="hands-heading">
      <div className="section-head">
        <h2 id="hands-heading" className="panel-title">{t('hands.queueHeading')} <span className="muted">{hands.total}</span></h2>
        {hands.entries.length > 0 && (
          <button type="button" className="small-button" data-testid="clear-hands-button" onClick={() => void session.clearHands()}>
            {t('hands.clearAll')}
          </button>
        )}
      </div>
      {hands.entries.length === 0 && <p className="muted">{t('hands.queueEmpty')}</p>}
      <ol className="entries">
        {hands.entries.map((e) => (
          <li key={e.id} data-testid={`hand-entry-${e.id}`} data-participant={e.participantId}>
            <div className="entry-text">
              <strong>{e.displayName}</strong>
              <span className="muted small">
                {e.kind === 'classroom' ? t('hands.classroomHand') : t('hands.studentHand')}
                {' · '}{t('hands.waiting', { time: formatDuration(now - e.raisedAt) })}
              </span>
              {e.note && <span className="hand-note">“{e.note}”</span>}
            </div>
            <div className="entry-actions">
              <button type="button" className="primary" data-testid={`grant-button-${e.id}`} disabled={full}
                onClick={() => void session.grant(e.id)}>
                {t('hands.grant')}
              </button>
              <button type="button" className="icon-button" data-testid={`lower-button-${e.id}`}
                aria-label={t('hands.lowerEntry', { name: e.displayName })} title={t('hands.lowerEntry', { name: e.displayName })}
                onClick={() => void session.lowerHand(e.id)}>
                <span aria-hidden="true">✕</span>
              </button>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
