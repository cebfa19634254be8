import { t } from '../../i18n/index.ts';
import { HandControls } from '../components/HandControls.tsx';
import { LectureStage } from '../components/LectureStage.tsx';
import { SpeakerArea } from '../components/SpeakerArea.tsx';
import { TopBar } from '../components/TopBar.tsx';
import { VideoTile } from '../components/VideoTile.tsx';
import { useMedia } from '../SessionContext.tsx';

/**
 * A remote student (and an assistant teacher, whose raised hand the server files for the
 * classroom): the lecture, the speakers beside it, and the hand button.
 */
export function StudentView() {
  const { producers } = useMedia();
  const camera = producers.find((p) => p.source === 'camera');

  return (
    <div className="layout layout-student">
      <TopBar />
      <main className="student-main">
        <LectureStage />
        <div className="side">
          <SpeakerArea layout="side" />
          {camera && <VideoTile track={camera.track} label={t.media.selfPreview} testId="self-preview" className="speaker-tile" mirror />}
        </div>
      </main>
      <footer className="student-bar"><HandControls /></footer>
    </div>
  );
}
