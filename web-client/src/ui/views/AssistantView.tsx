import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HandControls } from '../components/HandControls.tsx';
import { LectureStage } from '../components/LectureStage.tsx';
import { ReactionBar } from '../components/ReactionBar.tsx';
import { SpeakerArea } from '../components/SpeakerArea.tsx';
import { TopBar } from '../components/TopBar.tsx';
import { ChatPanel } from '../panels/ChatPanel.tsx';
import { HeadcountForm } from '../panels/HeadcountForm.tsx';
import { SitePoll } from '../panels/SitePoll.tsx';
import { Tabs } from '../panels/Tabs.tsx';
import { useNewPoll } from '../hooks/useNewPoll.ts';
import { useUnreadChat } from '../hooks/useUnreadChat.ts';

/**
 * The assistant teacher in a partner classroom, usually on a laptop beside the projector: the
 * lecture, and the classroom's voice — its hand, its head count, its poll counts, chat.
 */
export function AssistantView() {
  const { t } = useTranslation();
  const [tab, setTab] = useState('classroom');
  const unread = useUnreadChat(tab === 'chat');
  const newPoll = useNewPoll(tab === 'polls');
  return (
    <div className="layout layout-student layout-assistant">
      <TopBar />
      <main className="student-main">
        <LectureStage />
        <aside className="side" aria-label={t('panels.classroom')}>
          <SpeakerArea layout="side" hideWhenEmpty />
          <Tabs label={t('panels.classroom')} testId="assistant-tabs" onSelect={setTab} tabs={[
            { id: 'classroom', label: t('panels.classroom'), content: <HeadcountForm /> },
            { id: 'polls', label: t('panels.polls'), badge: newPoll ? t('panels.newPoll') : undefined, content: <SitePoll /> },
            { id: 'chat', label: t('panels.chat'), badge: unread ? t('panels.unread', { count: unread }) : undefined, content: <ChatPanel /> },
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
