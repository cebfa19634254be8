import { useEffect, type RefObject } from 'react';
import { watchLevel } from '../../media/audioLevel.ts';

/**
 * Drives a <meter> from a microphone track. The value is written straight to the element ten
 * times a second, so the level does not re-render the React tree.
 */
export function useAudioLevel(meter: RefObject<HTMLMeterElement | null>, track: MediaStreamTrack | null | undefined): void {
  useEffect(() => {
    const element = meter.current;
    if (!element || !track) return;
    let peak = 0;
    const stop = watchLevel(track, (level) => {
      element.value = level;
      element.dataset.level = level.toFixed(2);
      // The loudest moment so far: lets a test (or a curious user) see that sound arrived at all.
      peak = Math.max(peak, level);
      element.dataset.peak = peak.toFixed(2);
    });
    return () => {
      stop();
      element.value = 0;
      element.dataset.level = '0';
    };
  }, [meter, track]);
}
