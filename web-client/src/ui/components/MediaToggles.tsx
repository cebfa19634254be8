import { useTranslation } from 'react-i18next';
import type { MediaSource } from '@tongtang/shared';
import { useMedia, useSession, useSessionState } from '../SessionContext.tsx';
import { LevelMeter } from './LevelMeter.tsx';

const SOURCES: MediaSource[] = ['camera', 'microphone', 'screen'];

/** The lecturer's camera / microphone / screen switches, with the live microphone level. */
export function MediaToggles() {
  const { t } = useTranslation();
  const session = useSession();
  const joined = useSessionState((s) => s.joined);
  const { producers, starting } = useMedia();
  const microphone = producers.find((p) => p.source === 'microphone');

  return (
    <div className="toggles">
      {SOURCES.map((source) => {
        const on = producers.some((p) => p.source === source);
        const busy = starting.includes(source);
        return (
          <button key={source} type="button" className={on ? 'toggle on' : 'toggle'} aria-pressed={on}
            data-testid={`toggle-${source}`} data-on={on} disabled={!joined || busy}
            onClick={() => void session.toggle(source)}>
            {t(`media.${source}`)}: {busy ? t('media.starting') : on ? t('media.on') : t('media.off')}
          </button>
        );
      })}
      {microphone && <LevelMeter track={microphone.track} testId="mic-level" />}
    </div>
  );
}
