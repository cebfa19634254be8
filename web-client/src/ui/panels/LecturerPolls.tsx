import { useTranslation } from 'react-i18next';
import { openPoll } from '../../session/selectors.ts';
import { useActivity, useSession } from '../SessionContext.tsx';
import { PollBars, PollHeader, PollSiteTable } from './PollBars.tsx';
import { PollComposer } from './PollComposer.tsx';

/** Open a poll, watch the results arrive per option and per site, close it; earlier ones below. */
export function LecturerPolls() {
  const { t } = useTranslation();
  const session = useSession();
  const polls = useActivity((a) => a.polls);
  const current = openPoll(polls);
  const earlier = polls.filter((p) => p.state === 'closed').slice(-3).reverse();

  return (
    <section className="polls" data-testid="poll-panel" aria-label={t('polls.heading')}>
      {current ? (
        <div className="poll-current" data-testid={`poll-${current.id}`}>
          <PollHeader poll={current} />
          <PollBars poll={current} />
          <PollSiteTable poll={current} />
          <button type="button" className="danger" data-testid="poll-close-button"
            onClick={() => void session.perform(session.activity.closePoll(current.id))}>
            {t('polls.close')}
          </button>
        </div>
      ) : (
        <PollComposer />
      )}
      {earlier.length > 0 && (
        <section className="poll-history">
          <h3>{t('polls.earlier')}</h3>
          {earlier.map((p) => (
            <details key={p.id} data-testid={`poll-${p.id}`}>
              <summary>{p.question}</summary>
              <PollBars poll={p} />
              <PollSiteTable poll={p} />
            </details>
          ))}
        </section>
      )}
    </section>
  );
}
