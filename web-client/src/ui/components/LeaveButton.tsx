import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { leaveSession } from '../../session/registry.ts';

/** Leaves the lecture in this tab (the lecture itself goes on) and returns to the join page. */
export function LeaveButton({ asLink }: { asLink?: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const leave = () => {
    leaveSession();
    void navigate('/');
  };
  return (
    <button type="button" className={asLink ? 'link-button' : undefined} data-testid="leave-button" onClick={leave}>
      {asLink ? t('session.leaveAgain') : t('session.leave')}
    </button>
  );
}
