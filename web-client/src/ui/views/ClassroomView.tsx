import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isSpeaking, openPoll } from '../../session/selectors.ts';
import { HandControls } from '../components/HandControls.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { LectureStage } from '../components/LectureStage.tsx';
import { NetworkBadge } from '../components/NetworkBadge.tsx';
import { OnAirBanner } from '../components/OnAirBanner.tsx';
import { RecordingBadge } from '../components/RecordingBadge.tsx';
import { ConnectionBadge, LectureStateBadge } from '../components/TopBar.tsx';
import { SpeakerArea } from '../components/SpeakerArea.tsx';
import { VideoTile } from '../components/VideoTile.tsx';
import { ChatPanel } from '../panels/ChatPanel.tsx';
import { PollDisplay } from '../panels/PollDisplay.tsx';
import { Tabs } from '../panels/Tabs.tsx';
import { useNewPoll } from '../hooks/useNewPoll.ts';
import { useUnreadChat } from '../hooks/useUnreadChat.ts';
import { SetupButton } from '../setup/SetupButton.tsx';
import { useActivity, useMedia, useSessionState } from '../SessionContext.tsx';

/**
 * The projector in a partner classroom: the lecture fills the wall, other speakers float over it,
 * the room camera runs on its own (LectureSession publishes it on join), and a frame plus banner make it
 * unmistakable when the whole room is being heard by every site. Chat and the poll sit in a side
 * panel that the assistant can hide; a new poll opens it.
 */
export function ClassroomView() {
  const { t } = useTranslation();
  const floor = useSessionState((s) => s.floor);
  const self = useSessionState((s) => s.self);
  const { producers } = useMedia();
  const roomCamera = producers.find((p) => p.source === 'camera');
  // The room's own hardware (an encoder, an IP camera) may feed the wall instead of this PC's camera.
  const roomSource = useSessionState((s) => s.roomSource);
  const live = isSpeaking(floor, self);
  const [panelOpen, setPanelOpen] = useState(false);
  const pollId = useActivity((a) => openPoll(a.polls)?.id);
  const [tab, setTab] = useState('polls');
  const unread = useUnreadChat(panelOpen);
  const unreadInPanel = useUnreadChat(panelOpen && tab === 'chat');
  const newPoll = useNewPoll(panelOpen && tab === 'polls');

  useEffect(() => {
    if (pollId) setPanelOpen(true);
  }, [pollId]);

  return (
    <div className={`layout-classroom${live ? ' is-live' : ''}${panelOpen ? ' panel-open' : ''}`}>
      <main className="classroom-main">
        {/* The banner takes its own row: on air, the lecture shrinks rather than being covered. */}
        {live && <OnAirBanner />}
        <div className="stage-wrap">
          <LectureStage className="stage-fullscreen" />
          <SpeakerArea layout="pip" />
        </div>
      </main>
      {panelOpen && (
        <aside id="classroom-side" className="classroom-side" aria-label={t('panels.chat')}>
          <Tabs label={t('panels.chat')} testId="classroom-tabs" onSelect={setTab} tabs={[
            { id: 'polls', label: t('panels.polls'), badge: newPoll ? t('panels.newPoll') : undefined, content: <PollDisplay /> },
            { id: 'chat', label: t('panels.chat'), badge: unreadInPanel ? t('panels.unread', { count: unreadInPanel }) : undefined, content: <ChatPanel /> },
          ]} />
        </aside>
      )}
      <footer className="classroom-bar">
        <span className="classroom-name">{self?.displayName}</span>
        <LectureStateBadge />
        <RecordingBadge />
        <ConnectionBadge />
        <NetworkBadge compact />
        <HandControls />
        <span className="bar-spacer" />
        <button type="button" data-testid="side-panel-toggle" aria-expanded={panelOpen} aria-controls="classroom-side"
          onClick={() => setPanelOpen(!panelOpen)}>
          {panelOpen ? t('panels.hide') : t('panels.show')}
          {!panelOpen && unread > 0 && <span className="tab-badge" data-testid="unread-count">{t('panels.unread', { count: unread })}</span>}
        </button>
        <LanguageSwitch />
        <SetupButton />
        {/* The caption sits under the picture: over a small preview it would hide most of it. */}
        <figure className="room-camera">
          <VideoTile track={roomCamera?.track} testId="self-preview" />
          <figcaption>{roomSource ? `${t('media.roomCamera')} · ${t(`sources.kind.${roomSource}`)}` : t('media.roomCamera')}</figcaption>
        </figure>
      </footer>
    </div>
  );
}
