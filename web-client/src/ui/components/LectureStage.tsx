import { useTranslation } from 'react-i18next';
import { lectureFeeds } from '../../session/selectors.ts';
import { useMedia, useSessionState } from '../SessionContext.tsx';
import { VideoTile } from './VideoTile.tsx';

/** The lecture as every receiving site sees it: the screen share when there is one, else the camera. */
export function LectureStage({ className }: { className?: string }) {
  const { t } = useTranslation();
  const state = useSessionState((s) => s.lecture?.state);
  const { consumers } = useMedia();
  const { camera, screen } = lectureFeeds(consumers);
  const main = screen ?? camera;

  return (
    <div className={`stage ${className ?? ''}`} data-testid="lecture-stage">
      {main ? (
        <VideoTile track={main.track} paused={main.producerPaused} testId="lecture-video" className="stage-main"
          layeredConsumerId={main === camera ? camera.id : undefined} />
      ) : (
        <div className="stage-placeholder" data-testid="lecture-placeholder">
          {state === 'ended' ? t('lecture.ended') : state === 'live' ? t('lecture.waitingVideo') : t('lecture.notStarted')}
        </div>
      )}
      {screen && camera && (
        <VideoTile track={camera.track} paused={camera.producerPaused} testId="lecture-camera-pip" className="stage-pip"
          layeredConsumerId={camera.id} />
      )}
    </div>
  );
}
