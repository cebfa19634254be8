import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PollView } from '@tongtang/shared';
import { useSession } from '../SessionContext.tsx';
import { LatestPoll, PollBars } from './PollBars.tsx';

/**
 * The assistant answers for the whole classroom: a show of hands, counted per option. The
 * counts replace the classroom's earlier ones, so a correction never double-counts.
 */
export function SitePoll() {
  return (
    <LatestPoll>
      {(poll) => (
        <>
          {poll.state === 'open' && <CountsForm key={poll.id} poll={poll} />}
          <PollBars poll={poll} />
        </>
      )}
    </LatestPoll>
  );
}

function CountsForm({ poll }: { poll: PollView }) {
  const { t } = useTranslation();
  const session = useSession();
  const id = useId();
  const [counts, setCounts] = useState<string[]>(poll.options.map((_, i) => String(poll.mine?.[i] ?? '')));
  const numbers = counts.map((c) => (c.trim() === '' ? 0 : Number(c)));
  const valid = numbers.every((n) => Number.isInteger(n) && n >= 0 && n <= 5000);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (valid) void session.perform(session.activity.answerPollForSite(poll.id, numbers));
  };

  return (
    <form className="poll-site" onSubmit={submit}>
      <fieldset>
        <legend>{t('polls.siteHeading')}</legend>
        {poll.options.map((option, i) => (
          <div className="field inline" key={i}>
            <label htmlFor={`${id}-${i}`}>{t('polls.countFor', { option })}</label>
            <input id={`${id}-${i}`} type="number" min={0} max={5000} inputMode="numeric" className="count-input"
              data-testid={`poll-count-${i}`} value={counts[i]}
              onChange={(e) => setCounts(counts.map((c, j) => (j === i ? e.target.value : c)))} />
          </div>
        ))}
      </fieldset>
      <button type="submit" className="primary" data-testid="poll-site-submit" disabled={!valid}>{t('polls.siteSubmit')}</button>
      {poll.mine && <p className="muted" role="status" data-testid="poll-answered">{t('polls.siteSaved')}</p>}
    </form>
  );
}
