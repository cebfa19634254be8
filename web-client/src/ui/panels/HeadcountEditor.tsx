import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../SessionContext.tsx';

/** The lecturer fills in (or corrects) a classroom's head count, e.g. read out by phone. */
export function HeadcountEditor({ classroomId, name, current }: { classroomId: string; name: string; current: number | null }) {
  const { t } = useTranslation();
  const session = useSession();
  const [value, setValue] = useState('');
  const count = Number(value);
  const valid = value.trim() !== '' && Number.isInteger(count) && count >= 0 && count <= 5000;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    await session.setHeadcount(count, classroomId);
    setValue('');
  };

  return (
    <form className="headcount-editor" onSubmit={(e) => void submit(e)}>
      <input type="number" min={0} max={5000} inputMode="numeric" className="count-input" value={value}
        aria-label={t('attendance.headcountFor', { name })} placeholder={current === null ? '' : String(current)}
        onChange={(e) => setValue(e.target.value)} />
      <button type="submit" className="small-button" disabled={!valid}>{t('attendance.save')}</button>
    </form>
  );
}
