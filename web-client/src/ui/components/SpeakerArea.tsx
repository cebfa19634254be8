import type { Speaker } from '../../../../shared/src/domain.ts';
import { t } from '../../i18n/index.ts';
import { speakerFeeds } from '../../session/selectors.ts';
import { useMedia, useSessionState } from '../SessionContext.tsx';
import { VideoTile } from './VideoTile.tsx';

/**
 * Whoever holds the floor (a student or a whole partner classroom), except this endpoint.
 * `pip` floats over the lecture on a projector; `side` sits beside it on a student's screen.
 */
export function SpeakerArea({ layout, include }: { layout: 'pip' | 'side'; include?: (speaker: Speaker) => boolean }) {
  const { floor, self } = useSessionState();
  const { consumers } = useMedia();
  const feeds = speakerFeeds(floor, consumers, self?.id).filter((f) => !include || include(f.speaker));
  if (feeds.length === 0 && (layout === 'pip' || include)) return null;

  return (
    <div className={`speakers speakers-${layout}`} data-testid="speaker-area">
      {layout === 'side' && <h3>{t.floor.speakersHeading}</h3>}
      {layout === 'side' && feeds.length === 0 && <p className="muted">{t.floor.speakersEmpty}</p>}
      {feeds.map(({ speaker, video }) => (
        <VideoTile
          key={speaker.participantId}
          track={video?.track}
          paused={video?.producerPaused}
          label={speaker.micMuted ? `${speaker.displayName} · ${t.floor.micMuted}` : speaker.displayName}
          testId={`speaker-tile-${speaker.participantId}`}
          className="speaker-tile"
        />
      ))}
    </div>
  );
}
