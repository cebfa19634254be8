import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../SessionContext.tsx';

const MIN_OPTIONS = 2;
const MAX_OPTIONS = 8;

/** The lecturer writes a single- or multiple-choice question with 2–8 options. */
export function PollComposer() {
  const { t } = useTranslation();
  const session = useSession();
  const [question, setQuestion] = useState('');
  const [options, setOptions] = useState(['', '']);
  const [multiple, setMultiple] = useState(false);
  const id = useId();
  const filled = options.map((o) => o.trim()).filter(Boolean);
  const ready = question.trim() !== '' && filled.length >= MIN_OPTIONS;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    const opened = await session.perform(session.activity.openPoll({ question: question.trim(), options: filled, multiple }));
    if (opened) {
      setQuestion('');
      setOptions(['', '']);
      setMultiple(false);
    }
  };

  return (
    <form className="poll-composer" data-testid="poll-composer" onSubmit={(e) => void submit(e)}>
      <div className="field">
        <label htmlFor={`${id}-q`}>{t('polls.question')}</label>
        <input id={`${id}-q`} data-testid="poll-question-input" value={question} maxLength={200} onChange={(e) => setQuestion(e.target.value)} />
      </div>
      {options.map((option, i) => (
        <div className="field option-field" key={i}>
          <label htmlFor={`${id}-o${i}`}>{t('polls.option', { n: i + 1 })}</label>
          <div className="row">
            <input id={`${id}-o${i}`} data-testid={`poll-option-input-${i}`} value={option} maxLength={80}
              onChange={(e) => setOptions(options.map((o, j) => (j === i ? e.target.value : o)))} />
            {options.length > MIN_OPTIONS && (
              <button type="button" className="icon-button" aria-label={t('polls.removeOption', { n: i + 1 })}
                onClick={() => setOptions(options.filter((_, j) => j !== i))}>
                <span aria-hidden="true">✕</span>
              </button>
            )}
          </div>
        </div>
      ))}
      <div className="row wrap">
        <button type="button" data-testid="poll-add-option" disabled={options.length >= MAX_OPTIONS}
          onClick={() => setOptions([...options, ''])}>
          {t('polls.addOption')}
        </button>
        <label className="check-label">
          <input type="checkbox" data-testid="poll-multiple" checked={multiple} onChange={(e) => setMultiple(e.target.checked)} />
          {t('polls.multiple')}
        </label>
      </div>
      <button type="submit" className="primary" data-testid="poll-open-button" disabled={!ready}>{t('polls.open')}</button>
    </form>
  );
}
