import { useEffect, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  base: string;
  token: string;
  videoRef: RefObject<HTMLVideoElement | null>;
  onTime(seconds: number): void;
}

/**
 * The composed replay: HLS through hls.js (loaded only on this page; the token goes as a header
 * on every playlist and segment request), the MP4 where the browser has no MediaSource or HLS fails.
 */
export function ReplayPlayer({ base, token, videoRef, onTime }: Props) {
  const { t } = useTranslation();
  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const mp4 = `${base}/replay/replay.mp4?t=${encodeURIComponent(token)}`;
    let destroy = (): void => undefined;
    let cancelled = false;
    void import('hls.js/light').then(({ default: Hls }) => {
      if (cancelled) return;
      if (!Hls.isSupported()) {
        video.src = mp4;
        return;
      }
      const hls = new Hls({ enableWorker: false, xhrSetup: (xhr) => xhr.setRequestHeader('Authorization', `Bearer ${token}`) });
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        hls.destroy();
        video.src = mp4;
      });
      hls.loadSource(`${base}/replay/hls/index.m3u8`);
      hls.attachMedia(video);
      destroy = () => hls.destroy();
    }, () => {
      if (!cancelled) video.src = mp4;
    });
    return () => {
      cancelled = true;
      destroy();
    };
  }, [base, token, videoRef]);

  return (
    <video ref={videoRef} className="replay-video" controls playsInline preload="metadata" aria-label={t('replay.video')}
      poster={`${base}/replay/thumbnail.jpg?t=${encodeURIComponent(token)}`}
      onTimeUpdate={(e) => onTime(e.currentTarget.currentTime)} />
  );
}
