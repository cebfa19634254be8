import { useTranslation } from 'react-i18next';
import { useSession, useSessionState } from '../SessionContext.tsx';

/** The last failed action, until dismissed or replaced. */
export function NoticeBanner() {
  const { t } = useTranslation();
  const session = useSession();
  const notice = useSessionState((s) => s.notice);
  if (!notice) return null;
  return (
    <div className="notice" role="alert" data-testid="error-banner" data-code={notice.code}>
      <span>{t(`errors.${notice.code}`)}</span>
      <button type="button" onClick={session.dismissNotice}>{t('session.dismiss')}</button>
    </div>
  );
}
