import { en, type Strings } from './en.ts';

/** The active string table. Language selection arrives with the zh-CN table. */
export const t: Strings = en;
