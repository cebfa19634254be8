import { useTranslation } from 'react-i18next';
import { useSession, useSessionState } from '../SessionContext.tsx';

/** The last failed action, until dismissed or replaced. */
export function NoticeBanner() {
  const { t } = useTranslation();
  const session = useSession();
  const notice = useSessionState((s) => s.notice);
  const ended = useSessionState((s) => s.lecture?.state === 'ended');
  if (!notice) return null;
  // After the end the server refuses with CONFLICT; "not possible right now" would hide why.
  const text = notice.code === 'CONFLICT' && ended ? t('lecture.endedShort') : t(`errors.${notice.code}`);
  return (
    <div className="notice" role="alert" data-testid="error-banner" data-code={notice.code}>
      <span>{text}</span>
      <button type="button" onClick={session.dismissNotice}>{t('session.dismiss')}</button>
    </div>
  );
}
