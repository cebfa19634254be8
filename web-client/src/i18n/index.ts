/**
 * i18next set up once for the page, before the first render: the language comes from the
 * remembered preference (zh-CN unless the user chose otherwise), and `<html lang>` follows it so
 * screen readers pronounce the text right.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { prefs } from '../prefs.ts';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

export const resources = { en: { translation: en }, 'zh-CN': { translation: zhCN } } as const;

function reflect(language: string): void {
  document.documentElement.lang = language;
  document.title = i18next.t('appName');
}

export function initI18n(): typeof i18next {
  void i18next.use(initReactI18next).init({
    resources,
    lng: prefs.getState().language,
    fallbackLng: 'en',
    // Resources are bundled, so initialising synchronously avoids a flash of untranslated keys.
    initAsync: false,
    // React escapes on render; escaping here too would show &amp; in names.
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  });
  reflect(i18next.language);
  i18next.on('languageChanged', reflect);
  prefs.subscribe((next, previous) => {
    if (next.language !== previous.language) void i18next.changeLanguage(next.language);
  });
  return i18next;
}
