import { t } from '../../i18n/index.ts';
import { useSession, useSessionState } from '../SessionContext.tsx';

/** The last failed action, until dismissed or replaced. */
export function NoticeBanner() {
  const session = useSession();
  const { notice } = useSessionState();
  if (!notice) return null;
  return (
    <div className="notice" role="alert" data-testid="error-banner" data-code={notice.code}>
      <span>{t.errors[notice.code]}</span>
      <button type="button" onClick={session.dismissNotice}>{t.session.dismiss}</button>
    </div>
  );
}
