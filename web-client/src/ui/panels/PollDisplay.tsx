import { useTranslation } from 'react-i18next';
import { useActivity } from '../SessionContext.tsx';
import { PollBars, PollHeader } from './PollBars.tsx';

/** The projector shows the latest poll and its live results; the assistant answers for the room. */
export function PollDisplay() {
  const { t } = useTranslation();
  const latest = useActivity((a) => a.polls.at(-1));
  if (!latest) return <p className="muted" data-testid="poll-none">{t('polls.none')}</p>;
  return (
    <section className="polls" data-testid="poll-panel" aria-label={t('polls.heading')}>
      <div data-testid={`poll-${latest.id}`}>
        <PollHeader poll={latest} />
        <PollBars poll={latest} />
      </div>
    </section>
  );
}
