import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HandControls } from '../components/HandControls.tsx';
import { LectureStage } from '../components/LectureStage.tsx';
import { LevelMeter } from '../components/LevelMeter.tsx';
import { ReactionBar } from '../components/ReactionBar.tsx';
import { SpeakerArea } from '../components/SpeakerArea.tsx';
import { TopBar } from '../components/TopBar.tsx';
import { VideoTile } from '../components/VideoTile.tsx';
import { ChatPanel } from '../panels/ChatPanel.tsx';
import { StudentPoll } from '../panels/StudentPoll.tsx';
import { Tabs } from '../panels/Tabs.tsx';
import { useNewPoll } from '../hooks/useNewPoll.ts';
import { useUnreadChat } from '../hooks/useUnreadChat.ts';
import { useMedia } from '../SessionContext.tsx';

/** A remote student: the lecture, speakers, own preview while on the floor, chat and poll; hand and reactions below. */
export function StudentView() {
  const { t } = useTranslation();
  const [tab, setTab] = useState('chat');
  const unread = useUnreadChat(tab === 'chat');
  const newPoll = useNewPoll(tab === 'polls');
  return (
    <div className="layout layout-student">
      <TopBar />
      <main className="student-main">
        <LectureStage />
        <aside className="side" aria-label={t('panels.chat')}>
          <SpeakerArea layout="side" hideWhenEmpty />
          <OwnMedia />
          <Tabs label={t('panels.chat')} testId="student-tabs" onSelect={setTab} tabs={[
            { id: 'chat', label: t('panels.chat'), badge: unread ? t('panels.unread', { count: unread }) : undefined, content: <ChatPanel /> },
            { id: 'polls', label: t('panels.polls'), badge: newPoll ? t('panels.newPoll') : undefined, content: <StudentPoll /> },
          ]} />
        </aside>
      </main>
      <footer className="student-bar">
        <HandControls />
        <ReactionBar />
      </footer>
    </div>
  );
}

/** What I send while I hold the floor: my camera as others see it, and my microphone level. */
export function OwnMedia() {
  const { t } = useTranslation();
  const { producers } = useMedia();
  const camera = producers.find((p) => p.source === 'camera');
  const microphone = producers.find((p) => p.source === 'microphone');
  if (!camera && !microphone) return null;
  return (
    <div className="own-media">
      {camera && <VideoTile track={camera.track} label={t('media.selfPreview')} testId="self-preview" className="speaker-tile" mirror />}
      {microphone && <LevelMeter track={microphone.track} testId="mic-level" />}
    </div>
  );
}
