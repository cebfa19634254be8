import { useTranslation } from 'react-i18next';
import type { Quality } from '../../media/quality.ts';
import type { WallSlot } from '../../session/selectors.ts';
import { useSessionState } from '../SessionContext.tsx';
import { VideoTile } from './VideoTile.tsx';

interface Props {
  slot: WallSlot;
  quality: Quality;
  handRaised: boolean;
  onFloor: boolean;
  pinned: boolean;
  onPin: () => void;
}

/** One partner classroom on the lecturer's wall: its room camera with status badges and a pin. */
export function WallTile({ slot, quality, handRaised, onFloor, pinned, onPin }: Props) {
  const { t } = useTranslation();
  const id = slot.classroomId;
  // The lecturer and IT know each classroom's hardware; a classroom without one sends from its browser.
  const source = useSessionState((s) => s.sources?.find((x) => x.classroomId === id));
  // A stalled source says so in words; the picture is not left to look frozen or merely paused.
  const troubled = source !== undefined && (source.health.state === 'stalled' || source.health.state === 'restarting');
  const classes = ['wall-tile', slot.online ? '' : 'offline', onFloor ? 'on-stage' : '', handRaised ? 'hand-up' : '', pinned ? 'pinned' : '', troubled ? 'source-stalled' : ''];
  return (
    <VideoTile
      track={slot.video?.track}
      paused={slot.video?.producerPaused && !troubled}
      label={slot.online ? slot.name : `${slot.name} · ${t('wall.offline')}`}
      testId={`wall-tile-${id}`}
      className={classes.join(' ')}
    >
      <div className="tile-badges">
        {handRaised && <span className="badge badge-hand" data-testid={`wall-hand-${id}`}><span aria-hidden="true">✋ </span>{t('wall.handRaised')}</span>}
        {onFloor && <span className="badge badge-live" data-testid={`wall-floor-${id}`}><span aria-hidden="true">🎙 </span>{t('wall.onFloor')}</span>}
      </div>
      {slot.online && (
        <div className={`tile-source${troubled ? ' tile-source-troubled' : ''}`} title={troubled ? source.health.lastError ?? undefined : undefined}>
          {t('wall.source', { source: t(`sources.kind.${source?.kind ?? 'browser'}`) })}
          {source && ` · ${troubled || source.health.state !== 'live'
            ? t(`sources.state.${source.health.state}`)
            : source.kind === 'whip' ? `${source.health.bitrateKbps} kbit/s`
              : t('wall.sourceHealth', { fps: Math.round(source.health.fps), kbps: source.health.bitrateKbps })}`}
        </div>
      )}
      <div className="tile-tools">
        {slot.online && (
          <span className={`quality quality-${quality} tile-quality`} data-testid={`wall-quality-${id}`} data-quality={quality}>
            <span className="dot" aria-hidden="true" />{t('wall.quality', { quality: t(`network.${quality}`) })}
          </span>
        )}
        <button type="button" className="icon-button" data-testid={`pin-button-${id}`} aria-pressed={pinned}
          aria-label={pinned ? t('wall.unpin') : t('wall.pin', { name: slot.name })} title={pinned ? t('wall.unpin') : t('wall.pin', { name: slot.name })}
          onClick={onPin}>
          <span aria-hidden="true">{pinned ? '⤡' : '⤢'}</span>
        </button>
      </div>
    </VideoTile>
  );
}
