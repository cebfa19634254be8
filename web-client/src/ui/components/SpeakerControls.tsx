import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Speaker } from '@tongtang/shared';
import { useMedia, useSession } from '../SessionContext.tsx';

interface Props {
  me: Speaker;
  /** The student answered "camera too?" for this turn. */
  answered: boolean;
  onAnswer: () => void;
  onStepDown: () => void;
}

/**
 * A remote student holding the floor: the microphone opens with the grant (the student asked to
 * speak), the camera only when the student says so. While speaking: mute, camera, step down.
 */
export function SpeakerControls({ me, answered, onAnswer, onStepDown }: Props) {
  const { t } = useTranslation();
  const session = useSession();
  const { producers, starting } = useMedia();
  const promptId = useId();
  const mutedByLecturer = me.mutedBy === 'lecturer';
  const cameraOn = producers.some((p) => p.source === 'camera');
  const cameraBusy = starting.includes('camera');
  const choose = (camera: boolean) => {
    onAnswer();
    if (camera) void session.setFloorCamera(true);
  };

  return (
    <div className="hand-controls floor-controls" data-testid="hand-controls">
      {!answered && (
        <div className="floor-prompt" role="group" aria-labelledby={promptId} data-testid="camera-prompt">
          <p id={promptId}><strong>{t('floor.granted')}</strong> {t('floor.cameraQuestion')}</p>
          <div className="row wrap">
            <button type="button" className="primary" onClick={() => choose(true)}>{t('floor.withCamera')}</button>
            <button type="button" onClick={() => choose(false)}>{t('floor.audioOnly')}</button>
          </div>
        </div>
      )}
      <span className="speaking" role="status">
        {mutedByLecturer ? t('floor.mutedYou') : me.micMuted ? t('floor.youAreMuted') : t('floor.youAreSpeaking')}
      </span>
      <div className="row wrap" role="group" aria-label={t('floor.yourControls')}>
        {/* The lecturer's mute is the lecturer's to lift: the server refuses the speaker's unmute. */}
        <button type="button" aria-pressed={me.micMuted} data-testid="self-mute-button" disabled={mutedByLecturer}
          onClick={() => void session.mute(me.participantId, !me.micMuted)}>
          {me.micMuted ? t('floor.unmuteMe') : t('floor.muteMe')}
        </button>
        {answered && (
          <button type="button" aria-pressed={cameraOn} disabled={cameraBusy || (me.cameraStopped && !cameraOn)}
            onClick={() => void session.setFloorCamera(!cameraOn)}>
            {cameraOn ? t('floor.cameraOff') : t('floor.cameraOn')}
          </button>
        )}
        <button type="button" className="danger" data-testid="step-down-button" onClick={onStepDown}>{t('floor.stepDown')}</button>
      </div>
      {me.cameraStopped && <span className="muted small">{t('floor.cameraStoppedByLecturer')}</span>}
    </div>
  );
}

