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
  const classes = ['wall-tile', slot.online ? '' : 'offline', onFloor ? 'on-stage' : '', handRaised ? 'hand-up' : '', pinned ? 'pinned' : ''];
  return (
    <VideoTile
      track={slot.video?.track}
      paused={slot.video?.producerPaused}
      label={slot.online ? slot.name : `${slot.name} · ${t('wall.offline')}`}
      testId={`wall-tile-${id}`}
      className={classes.join(' ')}
    >
      <div className="tile-badges">
        {handRaised && <span className="badge badge-hand" data-testid={`wall-hand-${id}`}><span aria-hidden="true">✋ </span>{t('wall.handRaised')}</span>}
        {onFloor && <span className="badge badge-live" data-testid={`wall-floor-${id}`}><span aria-hidden="true">🎙 </span>{t('wall.onFloor')}</span>}
        {source && source.health.state !== 'live' && (
          <span className="badge badge-warn" title={source.health.lastError ?? undefined}>{t(`sources.state.${source.health.state}`)}</span>
        )}
      </div>
      {slot.online && (
        <div className="tile-source small">
          {t('wall.source', { source: t(`sources.kind.${source?.kind ?? 'browser'}`) })}
          {source?.health.state === 'live' && ` · ${t('wall.sourceHealth', { fps: Math.round(source.health.fps), kbps: source.health.bitrateKbps })}`}
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
