import { useEffect, useState } from 'react';
import type { LectureStats } from '../../../../shared/src/domain.ts';
import { t } from '../../i18n/index.ts';
import { LectureStage } from '../components/LectureStage.tsx';
import { TopBar } from '../components/TopBar.tsx';
import { useSession, useSessionState } from '../SessionContext.tsx';

const STATS_INTERVAL_MS = 2000;

/** Technical staff: who is connected and what the media server carries. */
export function ObserverView() {
  const session = useSession();
  const { participants, joined } = useSessionState();
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
        <section className="panel" data-testid="participant-list">
          <h3>{t.observer.participants} <span className="muted">{participants.length}</span></h3>
          <table>
            <thead><tr><th>{t.observer.name}</th><th>{t.observer.role}</th><th>{t.observer.classroom}</th></tr></thead>
            <tbody>
              {participants.map((p) => (
                <tr key={p.id} data-testid={`participant-${p.id}`}>
                  <td>{p.displayName}</td><td>{t.roles[p.role]}</td><td>{p.classroomId ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel" data-testid="stats-panel">
          <h3>{t.observer.stats}</h3>
          {stats && (
            <dl className="stats">
              {(Object.keys(t.observer.statLabels) as Array<keyof typeof t.observer.statLabels>).map((key) => (
                <div key={key}><dt>{t.observer.statLabels[key]}</dt><dd data-testid={`stat-${key}`}>{stats[key]}</dd></div>
              ))}
            </dl>
          )}
          {stats?.workers.map((w) => (
            <p key={w.pid} className="muted">
              {t.observer.worker(w.pid, Math.round(w.cpuUserMs + w.cpuSystemMs), Math.round(w.maxRssKb / 1024))}
            </p>
          ))}
        </section>
        <LectureStage className="observer-stage" />
      </main>
    </div>
  );
}
