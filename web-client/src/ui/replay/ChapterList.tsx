import { useTranslation } from 'react-i18next';
import { clock, type Chapter } from '../../replay/api.ts';

interface Props {
  chapters: Chapter[];
  now: number;
  onSeek(seconds: number): void;
}

/** One entry per floor turn and poll; the one playing is marked; a click jumps to it. */
export function ChapterList({ chapters, now, onSeek }: Props) {
  const { t } = useTranslation();
  return (
    <section className="panel replay-chapters" aria-labelledby="replay-chapters-heading">
      <h2 id="replay-chapters-heading">{t('replay.chapters')}</h2>
      {chapters.length === 0 ? <p className="muted">{t('replay.noChapters')}</p> : (
        <ol>
          {chapters.map((c) => {
            const current = now >= c.start && now < c.end;
            return (
              <li key={c.id}>
                <button type="button" className={`replay-item${current ? ' current' : ''}`} aria-current={current ? 'true' : undefined}
                  onClick={() => onSeek(c.start)}>
                  <span className="replay-time">{clock(c.start)}</span>
                  <span>{t(`replay.chapter.${c.kind}`, { title: c.title })}</span>
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
