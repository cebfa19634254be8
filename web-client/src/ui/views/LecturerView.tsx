import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FloorPanel } from '../components/FloorPanel.tsx';
import { HandQueue } from '../components/HandQueue.tsx';
import { MediaToggles } from '../components/MediaToggles.tsx';
import { RecordingButton } from '../components/RecordingBadge.tsx';
import { SpeakerArea } from '../components/SpeakerArea.tsx';
import { TopBar } from '../components/TopBar.tsx';
import { VideoTile } from '../components/VideoTile.tsx';
import { Wall } from '../components/Wall.tsx';
import { useUnreadChat } from '../hooks/useUnreadChat.ts';
import { AttendancePanel } from '../panels/AttendancePanel.tsx';
import { ChatPanel } from '../panels/ChatPanel.tsx';
import { LecturerPolls } from '../panels/LecturerPolls.tsx';
import { RecordingsPanel } from '../panels/RecordingsPanel.tsx';
import { SiteTiersPanel } from '../panels/SiteTiersPanel.tsx';
import { SourcesPanel } from '../panels/SourcesPanel.tsx';
import { Tabs } from '../panels/Tabs.tsx';
import { useMedia, useSession, useSessionState } from '../SessionContext.tsx';

/** The host room's console: go live, own media, the wall of classrooms, the floor, and the class channels. */
export function LecturerView() {
  const { t } = useTranslation();
  const [tab, setTab] = useState('chat');
  const unread = useUnreadChat(tab === 'chat');
  const { producers } = useMedia();
  const camera = producers.find((p) => p.source === 'camera');
  const screen = producers.find((p) => p.source === 'screen');

  return (
    <div className="layout layout-lecturer">
      <TopBar><RecordingButton /><LectureControls /></TopBar>
      <aside className="col col-left" aria-label={t('floor.speakersHeading')}>
        <section className="panel self-panel" aria-label={t('media.selfPreview')}>
          <VideoTile track={camera?.track} label={t('media.selfPreview')} testId="self-preview" mirror />
          {screen && <VideoTile track={screen.track} label={t('media.screen')} testId="screen-preview" />}
          <MediaToggles />
        </section>
        <div className="panel floor-panel">
          <FloorPanel />
          <HandQueue />
        </div>
      </aside>
      {/* Whoever the class is listening to goes in the middle, large; the wall follows below. */}
      <main className="col col-wall">
        <SpeakerArea layout="stage" />
        <Wall />
      </main>
      <aside className="col col-right panel" aria-label={t('panels.chat')}>
        <Tabs label={t('panels.chat')} testId="lecturer-tabs" onSelect={setTab} tabs={[
          { id: 'chat', label: t('panels.chat'), badge: unread ? t('panels.unread', { count: unread }) : undefined, content: <ChatPanel /> },
          { id: 'polls', label: t('panels.polls'), content: <LecturerPolls /> },
          { id: 'attendance', label: t('panels.attendance'), content: <><AttendancePanel canExport canEdit /><SiteTiersPanel /><SourcesPanel /></> },
          { id: 'recordings', label: t('recordings.heading'), content: <RecordingsPanel /> },
        ]} />
      </aside>
    </div>
  );
}

function LectureControls() {
  const { t } = useTranslation();
  const session = useSession();
  const state = useSessionState((s) => s.lecture?.state ?? 'scheduled');
  const joined = useSessionState((s) => s.joined);
  const [confirming, setConfirming] = useState(false);

  if (state === 'scheduled') {
    return (
      <button type="button" className="primary golive" data-testid="go-live-button" disabled={!joined}
        onClick={() => void session.goLive()}>
        {t('lecture.goLive')}
      </button>
    );
  }
  if (state !== 'live') return null;
  if (!confirming) {
    return (
      <button type="button" className="danger" data-testid="end-lecture-button" onClick={() => setConfirming(true)}>
        {t('lecture.endLecture')}
      </button>
    );
  }
  // Inline rather than window.confirm: ending cuts every site, and a modal dialog blocks automation.
  return (
    <span className="confirm" role="group" aria-label={t('lecture.confirmEnd')}>
      {t('lecture.confirmEnd')}{' '}
      <button type="button" className="danger" data-testid="end-lecture-confirm"
        onClick={() => { setConfirming(false); void session.endLecture(); }}>
        {t('lecture.endLecture')}
      </button>
      <button type="button" data-testid="end-lecture-cancel" onClick={() => setConfirming(false)}>{t('lecture.cancel')}</button>
    </span>
  );
}
