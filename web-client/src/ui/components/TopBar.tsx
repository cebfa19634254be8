import { useEffect, useState, type ReactNode } from 'react';
import type { LectureInfo } from '../../../../shared/src/domain.ts';
import { t } from '../../i18n/index.ts';
import { useSessionState } from '../SessionContext.tsx';

/** Title, lecture state with elapsed time, who I am, connection state; `children` adds buttons. */
export function TopBar({ children }: { children?: ReactNode }) {
  const { lecture, self } = useSessionState();
  const state = lecture?.state ?? 'scheduled';

  return (
    <header className="topbar">
      <div className="topbar-title">
        <strong>{lecture?.title ?? t.appName}</strong>
        {self && <span className="muted"> · {self.displayName} ({t.roles[self.role]})</span>}
      </div>
      <div className="topbar-status">
        <span className={`badge badge-${state}`} data-testid="lecture-state" data-state={state}>
          {t.lectureState[state]}
        </span>
        {lecture && <Elapsed lecture={lecture} />}
        <ConnectionBadge />
      </div>
      {children && <div className="topbar-actions">{children}</div>}
    </header>
  );
}

/** Shown only while the connection is not healthy. */
export function ConnectionBadge() {
  const { connection } = useSessionState();
  if (connection === 'connected') return null;
  return (
    <span className="badge badge-warn" data-testid="connection-state" data-state={connection}>
      {t.connection[connection]}
    </span>
  );
}

function Elapsed({ lecture }: { lecture: LectureInfo }) {
  const now = useNow(lecture.state === 'live');
  if (lecture.startedAt === null) return null;
  const end = lecture.state === 'ended' && lecture.endedAt !== null ? lecture.endedAt : now;
  return (
    <span className="elapsed" data-testid="elapsed" title={t.lecture.elapsed}>
      {formatDuration(end - lecture.startedAt)}
    </span>
  );
}

function useNow(ticking: boolean): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const mm = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
  const ss = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
