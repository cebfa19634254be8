/** Makes t() check its keys (and their nesting) against the English table at compile time. */
import 'i18next';
import type { Resources } from './en.ts';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Resources };
  }
}
