import { useEffect, useRef, type ReactNode } from 'react';
import { t } from '../../i18n/index.ts';

interface Props {
  track: MediaStreamTrack | null | undefined;
  label?: string;
  testId?: string;
  className?: string;
  /** Mirror a local camera preview so it moves like a mirror. */
  mirror?: boolean;
  paused?: boolean;
  /** Extra content over the video (badges). */
  children?: ReactNode;
}

/** One video. Audio never plays here: remote audio goes through <AudioSink>. */
export function VideoTile({ track, label, testId, className, mirror, paused, children }: Props) {
  const ref = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    video.srcObject = track ? new MediaStream([track]) : null;
    return () => {
      video.srcObject = null;
    };
  }, [track]);

  return (
    <div className={`tile ${className ?? ''}`} data-testid={testId}>
      {track ? (
        <video ref={ref} autoPlay playsInline muted className={mirror ? 'mirror' : undefined} />
      ) : (
        <div className="tile-empty">{t.media.noVideo}</div>
      )}
      {paused && <div className="tile-paused">{t.media.paused}</div>}
      {label && <div className="tile-label">{label}</div>}
      {children}
    </div>
  );
}
