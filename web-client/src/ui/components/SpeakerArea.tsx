import { useTranslation } from 'react-i18next';
import type { Speaker } from '@tongtang/shared';
import { speakerFeeds } from '../../session/selectors.ts';
import { useMedia, useSessionState } from '../SessionContext.tsx';
import { VideoTile } from './VideoTile.tsx';

/**
 * Whoever holds the floor (a student or a whole partner classroom), except this endpoint.
 * `pip` floats over the lecture on a projector; `side` sits beside it on a student's screen;
 * `stage` fills the middle of the lecturer's console, large, above the wall.
 */
interface Props {
  layout: 'pip' | 'side' | 'stage';
  include?: (speaker: Speaker) => boolean;
  /** Render nothing while nobody else holds the floor (default for `pip` and `stage`). */
  hideWhenEmpty?: boolean;
}

export function SpeakerArea({ layout, include, hideWhenEmpty = layout !== 'side' }: Props) {
  const { t } = useTranslation();
  const floor = useSessionState((s) => s.floor);
  const selfId = useSessionState((s) => s.self?.id);
  const { consumers } = useMedia();
  const feeds = speakerFeeds(floor, consumers, selfId).filter((f) => !include || include(f.speaker));
  if (feeds.length === 0 && hideWhenEmpty) return null;

  return (
    <section className={`speakers speakers-${layout}`} data-testid="speaker-area" aria-label={t('floor.speakersHeading')}>
      {layout === 'side' && <h2 className="panel-title">{t('floor.speakersHeading')}</h2>}
      {layout === 'stage' && <h2>{t('floor.stageHeading')}</h2>}
      {layout === 'side' && feeds.length === 0 && <p className="muted">{t('floor.speakersEmpty')}</p>}
      {feeds.map(({ speaker, video }) => (
        <VideoTile
          key={speaker.participantId}
          track={video?.track}
          paused={video?.producerPaused}
          label={speaker.micMuted ? `${speaker.displayName} · ${t('floor.micMuted')}` : speaker.displayName}
          testId={`speaker-tile-${speaker.participantId}`}
          className="speaker-tile"
        />
      ))}
    </section>
  );
}
