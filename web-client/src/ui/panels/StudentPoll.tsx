import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PollView } from '@tongtang/shared';
import { useSession } from '../SessionContext.tsx';
import { LatestPoll, PollBars } from './PollBars.tsx';

/** A remote student answers the open poll (and may change the answer); results show once it closes. */
export function StudentPoll() {
  return (
    <LatestPoll>
      {(poll) => (poll.state === 'open' ? <AnswerForm key={poll.id} poll={poll} /> : <PollBars poll={poll} />)}
    </LatestPoll>
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
