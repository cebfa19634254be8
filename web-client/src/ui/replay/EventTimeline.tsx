import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { clock, type ReplayEvent } from '../../replay/api.ts';

interface Props {
  events: ReplayEvent[];
  videoStartedAt: number;
  durationMs: number;
  onSeek(seconds: number): void;
}

const SHOWN = new Set(['lecture.live', 'lecture.ended', 'floor.granted', 'floor.revoked', 'hand.raised', 'poll.opened', 'poll.closed', 'chat']);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** What happened, when: who spoke, the polls with their results as they were, the public chat. */
export function EventTimeline({ events, videoStartedAt, durationMs, onSeek }: Props) {
  const { t } = useTranslation();
  const shown = events.filter((e) => SHOWN.has(e.type) && e.at >= videoStartedAt && e.at <= videoStartedAt + durationMs);
  return (
    <section className="panel replay-events" aria-labelledby="replay-events-heading">
      <h2 id="replay-events-heading">{t('replay.timeline')}</h2>
      {shown.length === 0 ? <p className="muted">{t('replay.noEvents')}</p> : (
        <ol>
          {shown.map((e, i) => {
            const seconds = (e.at - videoStartedAt) / 1000;
            return (
              <li key={`${e.at}-${i}`}>
                <button type="button" className="replay-item" onClick={() => onSeek(seconds)}>
                  <span className="replay-time">{clock(seconds)}</span>
                  <span className="replay-text">{describe(e, t)}</span>
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function describe(e: ReplayEvent, t: TFunction): string {
  const name = str(e['displayName']) || str(e['from']);
  const site = str(e['site']);
  const where = site && site !== 'online' ? ` (${site})` : '';
  switch (e.type) {
    case 'floor.granted': return t('replay.event.floorGranted', { name: name + where });
    case 'floor.revoked': return t('replay.event.floorRevoked', { name: name + where });
    case 'hand.raised': return t('replay.event.handRaised', { name: name + where });
    case 'poll.opened': return t('replay.event.pollOpened', { question: str(e['question']) });
    case 'poll.closed': return t('replay.event.pollClosed', { question: str(e['question']), results: results(e) });
    case 'chat': return t('replay.event.chat', { name, text: str(e['text']) });
    default: return t(`replay.event.${e.type === 'lecture.live' ? 'live' : 'ended'}`);
  }
}

/** "N2 1 · Ar 4" */
function results(e: ReplayEvent): string {
  const options = Array.isArray(e['options']) ? (e['options'] as unknown[]).map(str) : [];
  const counts = (e['results'] as { perOption?: unknown } | undefined)?.perOption;
  if (!Array.isArray(counts)) return '';
  return options.map((o, i) => `${o} ${Number(counts[i] ?? 0)}`).join(' · ');
}
