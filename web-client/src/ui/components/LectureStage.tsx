import { useState } from 'react';
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
  // On a phone the camera inset covers a good part of the slides: one tap puts it away.
  const [pipHidden, setPipHidden] = useState(false);

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
        // The toggle sits on the inset, not on the slides; put away, only the small button remains.
        <div className="stage-pip-box">
          {pipHidden ? (
            // Put away, it leaves only a small camera button in the corner of the slides.
            <button type="button" className="icon-button stage-pip-toggle" aria-pressed={true} aria-label={t('lecture.showCamera')}
              title={t('lecture.showCamera')} onClick={() => setPipHidden(false)}>
              <span aria-hidden="true">🎥</span>
            </button>
          ) : (
            <button type="button" className="icon-button stage-pip-toggle" aria-pressed={false} onClick={() => setPipHidden(true)}>
              {t('lecture.hideCamera')}
            </button>
          )}
          {!pipHidden && (
            <VideoTile track={camera.track} paused={camera.producerPaused} testId="lecture-camera-pip" className="stage-pip"
              layeredConsumerId={camera.id} />
          )}
        </div>
      )}
    </div>
  );
}
