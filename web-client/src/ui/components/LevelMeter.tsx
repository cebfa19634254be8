import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useAudioLevel } from '../hooks/useAudioLevel.ts';

/** A microphone level meter; silent (empty) without a track. */
export function LevelMeter({ track, testId }: { track: MediaStreamTrack | null | undefined; testId: string }) {
  const { t } = useTranslation();
  const meter = useRef<HTMLMeterElement>(null);
  useAudioLevel(meter, track);
  return (
    <meter ref={meter} className="level-meter" data-testid={testId} data-level="0" min={0} max={1} low={0.6} high={0.9} optimum={0.3}
      value={0} aria-label={t('media.micLevel')} />
  );
}
