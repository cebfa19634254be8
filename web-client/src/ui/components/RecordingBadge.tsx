import { useTranslation } from 'react-i18next';
import { useSession, useSessionState } from '../SessionContext.tsx';

/**
 * Shown to everyone while the lecture is recorded: students must know. role="status" so screen
 * readers announce it when it appears. A failed recording is shown to the lecturer, with why.
 */
export function RecordingBadge() {
  const { t } = useTranslation();
  const recording = useSessionState((s) => s.lecture?.recording);
  const isLecturer = useSessionState((s) => s.self?.role === 'lecturer');
  if (recording?.state === 'recording') {
    return (
      <span role="status" className="badge badge-recording" aria-label={t('recording.on')} title={t('recording.onHint')}>
        <span aria-hidden="true" className="rec-dot" /> {t('recording.on')}
      </span>
    );
  }
  if (recording?.state === 'error' && isLecturer) {
    return (
      <span role="status" className="badge badge-warn" title={recording.message ?? ''}>
        {t('recording.failed')}: {recording.message}
      </span>
    );
  }
  return null;
}

/** The lecturer's record / stop button. */
export function RecordingButton() {
  const { t } = useTranslation();
  const session = useSession();
  const state = useSessionState((s) => s.lecture?.recording?.state ?? 'idle');
  const lecture = useSessionState((s) => s.lecture?.state ?? 'scheduled');
  if (lecture === 'ended') return null;
  return state === 'recording' ? (
    <button type="button" onClick={() => void session.stopRecording()}>{t('recording.stop')}</button>
  ) : (
    <button type="button" onClick={() => void session.startRecording()}>{t('recording.start')}</button>
  );
}
