import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { usePreferredLayer } from '../hooks/usePreferredLayer.ts';

interface Props {
  track: MediaStreamTrack | null | undefined;
  label?: string;
  testId?: string;
  className?: string;
  /** Mirror a local camera preview so it moves like a mirror. */
  mirror?: boolean;
  paused?: boolean;
  /** A simulcast consumer: its layer follows the rendered size. */
  layeredConsumerId?: string;
  /** Extra content over the video (badges, buttons). */
  children?: ReactNode;
}

/** One video. Audio never plays here: remote audio goes through <AudioSink>. */
export function VideoTile({ track, label, testId, className, mirror, paused, layeredConsumerId, children }: Props) {
  const { t } = useTranslation();
  const ref = useRef<HTMLVideoElement>(null);
  usePreferredLayer(ref, layeredConsumerId, track);

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
        <div className="tile-empty">{t('media.noVideo')}</div>
      )}
      {paused && <div className="tile-paused">{t('media.paused')}</div>}
      {label && <div className="tile-label">{label}</div>}
      {children}
    </div>
  );
}
