import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

const resources = { en: { translation: en }, 'zh-CN': { translation: zhCN } };

describe('counted strings', () => {
  it('use plural rules: "1 response", "2 responses"; Chinese has one form', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ resources, lng: 'en', interpolation: { escapeValue: false } });
    expect(i18n.t('polls.respondents', { count: 1 })).toBe('1 response');
    expect(i18n.t('polls.respondents', { count: 2 })).toBe('2 responses');
    expect(i18n.t('attendance.missing', { count: 1, names: 'Room A' })).toBe('1 classroom has no head count yet: Room A');
    expect(i18n.t('attendance.missing', { count: 2, names: 'A, B' })).toBe('2 classrooms have no head count yet: A, B');
    await i18n.changeLanguage('zh-CN');
    expect(i18n.t('polls.respondents', { count: 1 })).toBe('1 份回答');
    expect(i18n.t('polls.respondents', { count: 2 })).toBe('2 份回答');
  });
});
