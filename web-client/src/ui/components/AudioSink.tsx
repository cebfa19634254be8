import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { canChooseSpeaker } from '../../media/devices.ts';
import type { RemoteConsumer } from '../../media/RoomClient.ts';
import { usePrefs } from '../../prefs.ts';
import { useMedia } from '../SessionContext.tsx';

/**
 * Plays every remote audio consumer on the chosen speaker. Browsers may block autoplay until
 * the page is clicked; then one button unlocks them all (a projector PC is usually set up to allow it).
 */
export function AudioSink() {
  const { t } = useTranslation();
  const { consumers } = useMedia();
  const speakerId = usePrefs((p) => p.speakerId);
  const [blocked, setBlocked] = useState(false);
  const audios = consumers.filter((c) => c.kind === 'audio');
  const onBlocked = useCallback(() => setBlocked(true), []);

  const unlock = useCallback(() => {
    document.querySelectorAll<HTMLAudioElement>('audio[data-consumer]').forEach((a) => void a.play().catch(() => {}));
    setBlocked(false);
  }, []);

  return (
    <>
      {audios.map((c) => <RemoteAudio key={c.id} consumer={c} speakerId={speakerId} onBlocked={onBlocked} />)}
      {blocked && (
        <button type="button" className="unlock-audio" data-testid="enable-sound" onClick={unlock}>
          {t('media.enableSound')}
        </button>
      )}
    </>
  );
}

function RemoteAudio({ consumer, speakerId, onBlocked }: { consumer: RemoteConsumer; speakerId: string | null; onBlocked: () => void }) {
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

  useEffect(() => {
    const audio = ref.current;
    // '' is the system default; a device that vanished falls back to it rather than going silent.
    if (audio && canChooseSpeaker) void audio.setSinkId(speakerId ?? '').catch(() => audio.setSinkId('').catch(() => {}));
  }, [speakerId]);

  return <audio ref={ref} autoPlay data-consumer={consumer.id} data-testid={`audio-${consumer.id}`} />;
}
