import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { LectureInfo } from '@tongtang/shared';
import { formatDuration, useNow } from '../hooks/useNow.ts';
import { SetupButton } from '../setup/SetupButton.tsx';
import { useSessionState } from '../SessionContext.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { LeaveButton } from './LeaveButton.tsx';
import { NetworkBadge } from './NetworkBadge.tsx';
import { RecordingBadge } from './RecordingBadge.tsx';

/** Title, lecture state with elapsed time, who I am, network and connection; `children` adds buttons. */
export function TopBar({ children }: { children?: ReactNode }) {
  const { t } = useTranslation();
  const lecture = useSessionState((s) => s.lecture);
  const self = useSessionState((s) => s.self);

  return (
    <header className="topbar">
      <div className="topbar-title">
        <h1 className="topbar-heading">{lecture?.title ?? t('appName')}</h1>
        {self && <span className="muted"> · {self.displayName} ({t(`roles.${self.role}`)})</span>}
      </div>
      <div className="topbar-status">
        <LectureStateBadge />
        <RecordingBadge />
        {lecture && <Elapsed lecture={lecture} />}
        <NetworkBadge />
        <ConnectionBadge />
      </div>
      {children && <div className="topbar-actions">{children}</div>}
      <div className="topbar-tools">
        <LanguageSwitch />
        <SetupButton />
        <LeaveButton />
      </div>
    </header>
  );
}

export function LectureStateBadge() {
  const { t } = useTranslation();
  const state = useSessionState((s) => s.lecture?.state ?? 'scheduled');
  return (
    <span className={`badge badge-${state}`} data-testid="lecture-state" data-state={state}>
      {t(`lectureState.${state}`)}
    </span>
  );
}

/** Shown only while the connection is not healthy. */
export function ConnectionBadge() {
  const { t } = useTranslation();
  const connection = useSessionState((s) => s.connection);
  if (connection === 'connected') return null;
  return (
    <span className="badge badge-warn" data-testid="connection-state" data-state={connection}>
      {t(`connection.${connection}`)}
    </span>
  );
}

function Elapsed({ lecture }: { lecture: LectureInfo }) {
  const { t } = useTranslation();
  const now = useNow(lecture.state === 'live');
  if (lecture.startedAt === null) return null;
  const end = lecture.state === 'ended' && lecture.endedAt !== null ? lecture.endedAt : now;
  return (
    <span className="elapsed" data-testid="elapsed">
      <span className="visually-hidden">{t('lecture.elapsed')} </span>
      <time>{formatDuration(end - lecture.startedAt)}</time>
    </span>
  );
}
