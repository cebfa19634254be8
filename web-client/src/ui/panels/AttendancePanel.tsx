import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession, useSessionState } from '../SessionContext.tsx';

/** Head counts per classroom, remote students and the total; the lecturer can export a CSV. */
export function AttendancePanel({ canExport }: { canExport: boolean }) {
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

  return (
    <section className="attendance" data-testid="attendance-panel" aria-label={t('attendance.heading')}>
      {attendance && (
        <table>
          <caption className="visually-hidden">{t('attendance.heading')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('attendance.classroom')}</th>
              <th scope="col">{t('attendance.headcount')}</th>
              <th scope="col">{t('attendance.projector')}</th>
              <th scope="col">{t('attendance.assistants')}</th>
            </tr>
          </thead>
          <tbody>
            {attendance.classrooms.map((c) => (
              <tr key={c.classroomId} data-testid={`attendance-${c.classroomId}`}>
                <th scope="row">{c.name}</th>
                <td data-testid={`headcount-${c.classroomId}`}>{c.headcount ?? <span className="muted">{t('attendance.notEntered')}</span>}</td>
                <td>{c.endpointConnected ? t('attendance.connected') : t('attendance.offline')}</td>
                <td>{c.assistantsConnected}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t('attendance.remote')}</th>
              <td data-testid="attendance-remote">{attendance.studentsConnected}</td>
              <td /><td />
            </tr>
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('attendance.total')}</th>
              <td data-testid="attendance-total">{attendance.total}</td>
              <td /><td />
            </tr>
          </tfoot>
        </table>
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
