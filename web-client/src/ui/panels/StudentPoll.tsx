import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PollView } from '../../../../shared/src/domain.ts';
import { useActivity, useSession } from '../SessionContext.tsx';
import { PollBars, PollHeader } from './PollBars.tsx';

/** A remote student answers the open poll (and may change the answer); results show once it closes. */
export function StudentPoll() {
  const { t } = useTranslation();
  const latest = useActivity((a) => a.polls.at(-1));
  if (!latest) return <p className="muted" data-testid="poll-none">{t('polls.none')}</p>;
  return (
    <section className="polls" data-testid="poll-panel" aria-label={t('polls.heading')}>
      <div data-testid={`poll-${latest.id}`}>
        <PollHeader poll={latest} />
        {latest.state === 'open' ? <AnswerForm key={latest.id} poll={latest} /> : <PollBars poll={latest} />}
      </div>
    </section>
  );
}

function AnswerForm({ poll }: { poll: PollView }) {
  const { t } = useTranslation();
  const session = useSession();
  const [chosen, setChosen] = useState<number[]>(poll.mine ?? []);
  const toggle = (i: number, on: boolean) =>
    setChosen(poll.multiple ? (on ? [...chosen, i] : chosen.filter((c) => c !== i)) : [i]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen.length > 0) void session.perform(session.activity.answerPoll(poll.id, [...chosen].sort((a, b) => a - b)));
  };

  return (
    <form className="poll-answer" onSubmit={submit}>
      <fieldset>
        <legend>{poll.multiple ? t('polls.chooseMany') : t('polls.chooseOne')}</legend>
        {poll.options.map((option, i) => (
          <label key={i} className="choice">
            <input type={poll.multiple ? 'checkbox' : 'radio'} name={`poll-${poll.id}`} data-testid={`poll-choice-${i}`}
              checked={chosen.includes(i)} onChange={(e) => toggle(i, e.target.checked)} />
            {option}
          </label>
        ))}
      </fieldset>
      <button type="submit" className="primary" data-testid="poll-submit" disabled={chosen.length === 0}>
        {poll.mine ? t('polls.change') : t('polls.submit')}
      </button>
      {poll.mine && <p className="muted" role="status" data-testid="poll-answered">{t('polls.answered')}</p>}
    </form>
  );
}
