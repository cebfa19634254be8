import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession, useSessionState } from '../SessionContext.tsx';

/** The assistant counts the room: a partner classroom is one connection but many students. */
export function HeadcountForm() {
  const { t } = useTranslation();
  const session = useSession();
  const self = useSessionState((s) => s.self);
  const mine = useSessionState((s) => s.attendance?.classrooms.find((c) => c.classroomId === s.self?.classroomId));
  const [value, setValue] = useState('');
  const id = useId();
  const count = Number(value);
  const valid = value.trim() !== '' && Number.isInteger(count) && count >= 0 && count <= 5000;
  const classroom = mine?.name ?? self?.classroomId ?? '';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (valid) await session.setHeadcount(count);
  };

  return (
    <form className="headcount" data-testid="headcount-form" onSubmit={(e) => void submit(e)}>
      <div className="field">
        <label htmlFor={id}>{t('attendance.headcountLabel', { classroom })}</label>
        <div className="row">
          <input id={id} type="number" min={0} max={5000} inputMode="numeric" className="count-input" data-testid="headcount-input"
            value={value} onChange={(e) => setValue(e.target.value)} />
          <button type="submit" className="primary" data-testid="headcount-save" disabled={!valid}>{t('attendance.save')}</button>
        </div>
      </div>
      {mine?.headcount != null && (
        <p role="status" data-testid="headcount-current" data-count={mine.headcount}>{t('attendance.saved', { count: mine.headcount })}</p>
      )}
    </form>
  );
}
