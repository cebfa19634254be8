/**
 * What this browser remembers between visits: the language and the chosen devices. Kept in
 * localStorage (per machine, not per lecture) because a projector PC keeps its camera and
 * speakers from one lesson to the next.
 */
import { createStore, useStore } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Prefs {
  language: Language;
  /** deviceIds from enumerateDevices(); null means the system default. */
  cameraId: string | null;
  microphoneId: string | null;
  speakerId: string | null;
}

const DEFAULTS: Prefs = { language: 'zh-CN', cameraId: null, microphoneId: null, speakerId: null };

export const prefs = createStore<Prefs>()(
  persist(() => DEFAULTS, {
    name: 'tongtang.prefs',
    storage: createJSONStorage(() => localStorage),
    // A stored value from an older version must not break the page.
    merge: (stored, current) => {
      const s = (stored ?? {}) as Partial<Prefs>;
      return {
        ...current,
        ...s,
        language: LANGUAGES.includes(s.language as Language) ? (s.language as Language) : current.language,
      };
    },
  }),
);

export function setPrefs(change: Partial<Prefs>): void {
  prefs.setState(change);
}

export function usePrefs<T>(select: (p: Prefs) => T): T {
  return useStore(prefs, select);
}
