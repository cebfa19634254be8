import { useCallback, useEffect, useRef, useState } from 'react';
import { t } from '../../i18n/index.ts';
import type { RemoteConsumer } from '../../media/RoomClient.ts';
import { useMedia } from '../SessionContext.tsx';

/**
 * Plays every remote audio consumer. Browsers may block autoplay until the page is clicked;
 * then one button unlocks them all (a projector PC is usually set up to allow it).
 */
export function AudioSink() {
  const { consumers } = useMedia();
  const [blocked, setBlocked] = useState(false);
  const audios = consumers.filter((c) => c.kind === 'audio');
  const onBlocked = useCallback(() => setBlocked(true), []);

  const unlock = useCallback(() => {
    document.querySelectorAll<HTMLAudioElement>('audio[data-consumer]').forEach((a) => void a.play().catch(() => {}));
    setBlocked(false);
  }, []);

  return (
    <>
      {audios.map((c) => <RemoteAudio key={c.id} consumer={c} onBlocked={onBlocked} />)}
      {blocked && (
        <button type="button" className="unlock-audio" data-testid="enable-sound" onClick={unlock}>
          {t.media.enableSound}
        </button>
      )}
    </>
  );
}

function RemoteAudio({ consumer, onBlocked }: { consumer: RemoteConsumer; onBlocked: () => void }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const audio = ref.current;
    if (!audio) return;
    audio.srcObject = new MediaStream([consumer.track]);
    audio.play().catch((err: unknown) => {
      if (err instanceof DOMException && err.name === 'NotAllowedError') onBlocked();
    });
    return () => {
      audio.srcObject = null;
    };
  }, [consumer.track, onBlocked]);
  return <audio ref={ref} autoPlay data-consumer={consumer.id} data-testid={`audio-${consumer.id}`} />;
}
