import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LectureStats } from '@tongtang/shared';
import { LectureStage } from '../components/LectureStage.tsx';
import { TopBar } from '../components/TopBar.tsx';
import { AttendancePanel } from '../panels/AttendancePanel.tsx';
import { RecordingsPanel } from '../panels/RecordingsPanel.tsx';
import { SiteTiersPanel } from '../panels/SiteTiersPanel.tsx';
import { SourcesPanel } from '../panels/SourcesPanel.tsx';
import { useSession, useSessionState } from '../SessionContext.tsx';

const STATS_INTERVAL_MS = 2000;
const STAT_KEYS = ['participants', 'producers', 'consumers', 'transports', 'routers'] as const;

/** Technical staff: who is connected, attendance, and what the media server carries. */
export function ObserverView() {
  const { t } = useTranslation();
  const session = useSession();
  const participants = useSessionState((s) => s.participants);
  const joined = useSessionState((s) => s.joined);
  const [stats, setStats] = useState<LectureStats | null>(null);

  useEffect(() => {
    if (!joined) return;
    let alive = true;
    const refresh = () => session.stats().then((s) => alive && setStats(s), () => {});
    void refresh();
    const timer = setInterval(refresh, STATS_INTERVAL_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [session, joined]);

  return (
    <div className="layout layout-observer">
      <TopBar />
      <main className="observer-main">
        <section className="panel" data-testid="participant-list" aria-labelledby="participants-heading">
          <h2 id="participants-heading" className="panel-title">{t('observer.participants')} <span className="muted">{participants.length}</span></h2>
          <table>
            <thead><tr><th scope="col">{t('observer.name')}</th><th scope="col">{t('observer.role')}</th><th scope="col">{t('observer.classroom')}</th></tr></thead>
            <tbody>
              {participants.map((p) => (
                <tr key={p.id} data-testid={`participant-${p.id}`}>
                  <td>{p.displayName}</td><td>{t(`roles.${p.role}`)}</td><td>{p.classroomId ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel" data-testid="stats-panel" aria-labelledby="stats-heading">
          <h2 id="stats-heading" className="panel-title">{t('observer.stats')}</h2>
          {stats && (
            <dl className="stats">
              {STAT_KEYS.map((key) => (
                <div key={key}><dt>{t(`observer.statLabels.${key}`)}</dt><dd data-testid={`stat-${key}`}>{stats[key]}</dd></div>
              ))}
            </dl>
          )}
          {stats?.workers.map((w) => (
            <p key={w.pid} className="muted">
              {t('observer.worker', { pid: w.pid, cpu: Math.round(w.cpuUserMs + w.cpuSystemMs), rss: Math.round(w.maxRssKb / 1024) })}
            </p>
          ))}
        </section>
        <section className="panel" aria-labelledby="attendance-heading">
          <h2 id="attendance-heading" className="panel-title">{t('attendance.heading')}</h2>
          <AttendancePanel canExport={false} />
          <SiteTiersPanel />
          <SourcesPanel />
        </section>
        <div className="panel"><RecordingsPanel /></div>
        <LectureStage className="observer-stage" />
      </main>
    </div>
  );
}
