import { t } from '../../i18n/index.ts';
import { isSpeaking } from '../../session/selectors.ts';
import { HandControls } from '../components/HandControls.tsx';
import { LectureStage } from '../components/LectureStage.tsx';
import { ConnectionBadge } from '../components/TopBar.tsx';
import { SpeakerArea } from '../components/SpeakerArea.tsx';
import { VideoTile } from '../components/VideoTile.tsx';
import { useMedia, useSessionState } from '../SessionContext.tsx';

/**
 * The projector in a partner classroom: the lecture fills the wall, other speakers float over it,
 * the room camera runs on its own (Session publishes it on join), and a banner makes it
 * unmistakable when the whole room is being heard by every site.
 */
export function ClassroomView() {
  const { floor, self, lecture } = useSessionState();
  const { producers } = useMedia();
  const roomCamera = producers.find((p) => p.source === 'camera');
  const live = isSpeaking(floor, self);
  const state = lecture?.state ?? 'scheduled';

  return (
    <div className={`layout layout-classroom${live ? ' is-live' : ''}`}>
      <LectureStage className="stage-fullscreen" />
      {live && <div className="live-banner" data-testid="live-banner">{t.floor.liveBanner}</div>}
      <SpeakerArea layout="pip" />
      <footer className="classroom-bar">
        <span className="muted">{self?.displayName}</span>
        <span className={`badge badge-${state}`} data-testid="lecture-state" data-state={state}>{t.lectureState[state]}</span>
        <ConnectionBadge />
        <HandControls />
        <VideoTile track={roomCamera?.track} testId="self-preview" className="room-camera" />
      </footer>
    </div>
  );
}
