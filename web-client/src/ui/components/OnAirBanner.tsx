import { useTranslation } from 'react-i18next';
import { useSessionState } from '../SessionContext.tsx';

/**
 * Shown on a projector while its classroom holds the floor: the room's microphone is heard at
 * every site, so nobody in the room should be able to miss it (big, red, framed, and announced).
 */
export function OnAirBanner() {
  const { t } = useTranslation();
  const muted = useSessionState((s) => s.floor.speakers.find((sp) => sp.participantId === s.self?.id)?.micMuted ?? false);
  return (
    <div className="live-banner" role="status" data-testid="live-banner" data-muted={muted}>
      <strong><span className="on-air-dot" aria-hidden="true" />{t('floor.liveBanner')}</strong>
      <span className="live-detail">{muted ? t('floor.mutedByLecturer') : t('floor.liveDetail')}</span>
    </div>
  );
}
