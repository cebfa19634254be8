import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mediaProblemOf, userTrack, withDevice, type MediaProblem } from '../../media/devices.ts';
import { usePrefs } from '../../prefs.ts';
import { LevelMeter } from '../components/LevelMeter.tsx';
import { VideoTile } from '../components/VideoTile.tsx';

interface Local { track: MediaStreamTrack | null; problem: MediaProblem | null }
const EMPTY: Local = { track: null, problem: null };

/**
 * A private preview of the chosen camera and microphone. Each opens on its own, so a missing
 * camera still lets the microphone be tested (and the reverse). Nothing here is sent anywhere.
 */
export function DevicePreview({ onGranted }: { onGranted: () => void }) {
  const { t } = useTranslation();
  const cameraId = usePrefs((p) => p.cameraId);
  const microphoneId = usePrefs((p) => p.microphoneId);
  const camera = useLocalTrack('video', cameraId, onGranted);
  const microphone = useLocalTrack('audio', microphoneId, onGranted);
  const problem = camera.problem ?? microphone.problem;

  return (
    <div className="device-preview" data-testid="device-preview">
      <VideoTile track={camera.track} label={t('setup.preview')} testId="camera-preview" mirror />
      <LevelMeter track={microphone.track} testId="preview-mic-level" />
      {problem && <p className="problem" role="alert" data-testid="device-problem" data-problem={problem}>{t(`setup.${problem}`)}</p>}
    </div>
  );
}

function useLocalTrack(kind: 'audio' | 'video', deviceId: string | null, onGranted: () => void): Local {
  const [local, setLocal] = useState<Local>(EMPTY);
  const granted = useRef(onGranted);
  granted.current = onGranted;
  useEffect(() => {
    let track: MediaStreamTrack | null = null;
    let alive = true;
    userTrack(withDevice({ [kind]: true }, kind, deviceId), kind).then((opened) => {
      if (!alive) return opened.stop();
      track = opened;
      setLocal({ track, problem: null });
      granted.current();
    }, (err: unknown) => alive && setLocal({ track: null, problem: mediaProblemOf(err) ?? 'missing' }));
    return () => {
      alive = false;
      track?.stop();
      setLocal(EMPTY);
    };
  }, [kind, deviceId]);
  return local;
}
