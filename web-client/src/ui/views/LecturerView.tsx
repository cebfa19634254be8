import { useState } from 'react';
import { t } from '../../i18n/index.ts';
import { HandQueuePanel } from '../components/HandQueuePanel.tsx';
import { MediaToggles } from '../components/MediaToggles.tsx';
import { TopBar } from '../components/TopBar.tsx';
import { VideoTile } from '../components/VideoTile.tsx';
import { Wall } from '../components/Wall.tsx';
import { useMedia, useSession, useSessionState } from '../SessionContext.tsx';

/** The host room's console: go live, own camera/screen, the wall of classrooms, the floor. */
export function LecturerView() {
  const { producers } = useMedia();
  const camera = producers.find((p) => p.source === 'camera');
  const screen = producers.find((p) => p.source === 'screen');

  return (
    <div className="layout layout-lecturer">
      <TopBar><LectureControls /></TopBar>
      <aside className="panel self-panel">
        <VideoTile track={camera?.track} label={t.media.selfPreview} testId="self-preview" mirror />
        {screen && <VideoTile track={screen.track} label={t.media.screen} testId="screen-preview" />}
        <MediaToggles />
      </aside>
      <main className="wall-main"><Wall /></main>
      <HandQueuePanel />
    </div>
  );
}

function LectureControls() {
  const session = useSession();
  const { lecture, joined } = useSessionState();
  const [confirming, setConfirming] = useState(false);
  const state = lecture?.state ?? 'scheduled';

  if (state === 'scheduled') {
    return (
      <button type="button" className="primary golive" data-testid="go-live-button" disabled={!joined}
        onClick={() => void session.goLive()}>
        {t.lecture.goLive}
      </button>
    );
  }
  if (state !== 'live') return null;
  if (!confirming) {
    return (
      <button type="button" className="danger" data-testid="end-lecture-button" onClick={() => setConfirming(true)}>
        {t.lecture.endLecture}
      </button>
    );
  }
  // Inline rather than window.confirm: ending cuts every site, and a modal dialog blocks automation.
  return (
    <span className="confirm">
      {t.lecture.confirmEnd}{' '}
      <button type="button" className="danger" data-testid="end-lecture-confirm"
        onClick={() => { setConfirming(false); void session.endLecture(); }}>
        {t.lecture.endLecture}
      </button>
      <button type="button" data-testid="end-lecture-cancel" onClick={() => setConfirming(false)}>✕</button>
    </span>
  );
}
