import type { MediaSource } from '../../../../shared/src/domain.ts';
import { t } from '../../i18n/index.ts';
import { useMedia, useSession, useSessionState } from '../SessionContext.tsx';

const SOURCES: MediaSource[] = ['camera', 'microphone', 'screen'];

/** The lecturer's camera / microphone / screen switches. */
export function MediaToggles() {
  const session = useSession();
  const { joined } = useSessionState();
  const { producers, starting } = useMedia();

  return (
    <div className="toggles">
      {SOURCES.map((source) => {
        const on = producers.some((p) => p.source === source);
        const busy = starting.includes(source);
        return (
          <button key={source} type="button" className={on ? 'toggle on' : 'toggle'} aria-pressed={on}
            data-testid={`toggle-${source}`} data-on={on} disabled={!joined || busy}
            onClick={() => void session.toggle(source)}>
            {t.media[source]}: {busy ? t.media.starting : on ? t.media.on : t.media.off}
          </button>
        );
      })}
    </div>
  );
}
