import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, setPrefs, usePrefs, type Language } from '../../prefs.ts';

/** zh-CN by default; the choice is remembered on this machine. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const language = usePrefs((p) => p.language);
  const id = useId();
  return (
    <span className="language-switch">
      <label htmlFor={id} className="visually-hidden">{t('language.label')}</label>
      <select id={id} data-testid="language-select" value={language}
        onChange={(e) => setPrefs({ language: e.target.value as Language })}>
        {LANGUAGES.map((l) => <option key={l} value={l} lang={l}>{t(`language.${l}`)}</option>)}
      </select>
    </span>
  );
}
