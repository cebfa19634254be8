import { useTranslation } from 'react-i18next';
import type { Speaker } from '@tongtang/shared';
import { formatDuration, useNow } from '../hooks/useNow.ts';
import { useSession, useSessionState } from '../SessionContext.tsx';

/** The lecturer's floor: who is speaking and for how long, with mute, camera and end controls. */
export function FloorPanel() {
  const { t } = useTranslation();
  const floor = useSessionState((s) => s.floor);
  const now = useNow(floor.speakers.length > 0);

  return (
    <section className="floor-section" data-testid="speaker-list" aria-labelledby="floor-heading">
      <h2 id="floor-heading" className="panel-title">
        {t('floor.speakersHeading')}{' '}
        <span className="muted">{t('floor.limit', { count: floor.speakers.length, max: floor.maxSpeakers })}</span>
      </h2>
      {floor.speakers.length === 0 && <p className="muted">{t('floor.speakersEmpty')}</p>}
      <ul className="entries">
        {floor.speakers.map((s) => <SpeakerRow key={s.participantId} speaker={s} now={now} />)}
      </ul>
    </section>
  );
}

function SpeakerRow({ speaker: s, now }: { speaker: Speaker; now: number }) {
  const { t } = useTranslation();
  const session = useSession();
  const name = s.displayName;
  return (
    <li data-testid={`speaker-entry-${s.participantId}`} data-muted={s.micMuted}>
      <div className="entry-text">
        <strong>{name}</strong>
        <span className="muted small">
          {t('floor.speakingFor', { time: formatDuration(now - s.since) })}
          {s.micMuted && ` · ${t('floor.micMuted')}`}
          {s.cameraStopped && ` · ${t('floor.cameraStopped')}`}
        </span>
      </div>
      <div className="entry-actions">
        <button type="button" data-testid={`mute-button-${s.participantId}`} aria-pressed={s.micMuted}
          aria-label={s.micMuted ? t('floor.unmuteName', { name }) : t('floor.muteName', { name })}
          onClick={() => void session.mute(s.participantId, !s.micMuted)}>
          {s.micMuted ? t('floor.unmute') : t('floor.mute')}
        </button>
        {/* A classroom's camera is its tile on the wall, not a speaker camera: stopping it would blind the wall. */}
        {s.role !== 'classroom' && (
          <button type="button" data-testid={`stop-camera-button-${s.participantId}`} disabled={s.cameraStopped}
            aria-label={t('floor.stopCameraName', { name })} onClick={() => void session.stopCamera(s.participantId)}>
            {t('floor.stopCamera')}
          </button>
        )}
        <button type="button" className="danger" data-testid={`revoke-button-${s.participantId}`}
          aria-label={t('floor.revokeName', { name })} onClick={() => void session.revoke(s.participantId)}>
          {t('floor.revoke')}
        </button>
      </div>
    </li>
  );
}
