/**
 * CSV exports (RFC 4180, CRLF line ends). The files are opened in spreadsheets, so text that a
 * spreadsheet would run as a formula is defused with a leading apostrophe.
 */
import { ONLINE_SITE, type Attendance, type FloorRecord } from '@tongtang/shared';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csv(rows: (string | number | boolean | null)[][]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** One row per grant; a grant still open is measured up to `now`. */
export function floorHistoryCsv(history: FloorRecord[], now: number): string {
  return csv([
    ['participant', 'role', 'classroom', 'granted_at', 'ended_at', 'duration_seconds'],
    ...history.map((r) => [
      r.displayName,
      r.role,
      r.classroomId,
      new Date(r.grantedAt).toISOString(),
      r.endedAt === null ? null : new Date(r.endedAt).toISOString(),
      Math.max(0, Math.round(((r.endedAt ?? now) - r.grantedAt) / 1000)),
    ]),
  ]);
}

/** One row per classroom, then the remote students and the total. */
export function attendanceCsv(att: Attendance): string {
  return csv([
    ['classroom_id', 'classroom', 'headcount', 'endpoint_connected', 'assistants_connected'],
    ...att.classrooms.map((c) => [c.classroomId, c.name, c.headcount, c.endpointConnected, c.assistantsConnected]),
    [ONLINE_SITE, 'Remote students', att.studentsConnected, null, null],
    ['total', 'Total', att.total, null, null],
  ]);
}
