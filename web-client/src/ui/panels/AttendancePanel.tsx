import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession, useSessionState } from '../SessionContext.tsx';
import { HeadcountEditor } from './HeadcountEditor.tsx';

/**
 * Head counts per classroom, remote students and the total, which says what it is made of and
 * which classrooms are still missing a count. The lecturer can fill counts in and export a CSV.
 * Two columns only, with the connection details under each name, so English fits as well as Chinese.
 */
export function AttendancePanel({ canExport, canEdit = false }: { canExport: boolean; canEdit?: boolean }) {
  const { t } = useTranslation();
  const session = useSession();
  const attendance = useSessionState((s) => s.attendance);
  const [exporting, setExporting] = useState(false);

  const exportCsv = async () => {
    setExporting(true);
    const file = await session.exportAttendance();
    setExporting(false);
    if (file) download(file.filename, file.csv);
  };
  const missing = attendance?.classrooms.filter((c) => c.headcount === null) ?? [];
  const counted = attendance?.classrooms.reduce((sum, c) => sum + (c.headcount ?? 0), 0) ?? 0;

  return (
    <section className="attendance" data-testid="attendance-panel" aria-label={t('attendance.heading')}>
      {attendance && (
        <table>
          <caption className="visually-hidden">{t('attendance.heading')}</caption>
          <thead>
            <tr><th scope="col">{t('attendance.classroom')}</th><th scope="col">{t('attendance.headcount')}</th></tr>
          </thead>
          <tbody>
            {attendance.classrooms.map((c) => (
              <tr key={c.classroomId} data-testid={`attendance-${c.classroomId}`} className={c.headcount === null ? 'missing' : undefined}>
                <th scope="row">
                  {c.name}
                  <span className="muted small attendance-detail">
                    {t('attendance.projector')}: {c.endpointConnected ? t('attendance.connected') : t('attendance.offline')}
                    {' · '}{t('attendance.assistants')}: {c.assistantsConnected}
                  </span>
                </th>
                <td data-testid={`headcount-${c.classroomId}`}>
                  {c.headcount ?? <span className="badge badge-warn">{t('attendance.notEntered')}</span>}
                  {canEdit && <HeadcountEditor classroomId={c.classroomId} name={c.name} current={c.headcount} />}
                </td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t('attendance.remote')}</th>
              <td data-testid="attendance-remote">{attendance.studentsConnected}</td>
            </tr>
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('attendance.total')}</th>
              <td data-testid="attendance-total">
                {missing.length > 0 ? t('attendance.atLeast', { total: attendance.total }) : attendance.total}
              </td>
            </tr>
          </tfoot>
        </table>
      )}
      {attendance && (
        <div className="attendance-notes">
          <p className="muted small" data-testid="attendance-made-of">{t('attendance.madeOf', { counted, remote: attendance.studentsConnected })}</p>
          <p role="status" data-testid="attendance-missing" className={missing.length > 0 ? 'problem small' : 'muted small'}>
            {missing.length > 0
              ? t('attendance.missing', { count: missing.length, names: missing.map((c) => c.name).join(', ') })
              : t('attendance.allCounted')}
          </p>
        </div>
      )}
      {canExport && (
        <button type="button" data-testid="attendance-export" disabled={exporting} onClick={() => void exportCsv()}>
          {t('attendance.export')}
        </button>
      )}
    </section>
  );
}

/** A file the browser saves: the server sends the CSV over the live connection, not as a URL. */
function download(filename: string, csv: string): void {
  // The byte-order mark makes spreadsheet programs read the UTF-8 (Chinese names) correctly.
  const url = URL.createObjectURL(new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
