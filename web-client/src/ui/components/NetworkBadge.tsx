import { useTranslation } from 'react-i18next';
import { pathLabel } from '../../media/stats.ts';
import type { Quality } from '../../media/quality.ts';
import { useNetwork, useSessionState } from '../SessionContext.tsx';

/** This page's own connection: a coloured dot plus words (colour alone is not enough), and the path in use. */
export function NetworkBadge({ compact }: { compact?: boolean }) {
  const { t } = useTranslation();
  const measured = useNetwork((n) => n.own);
  // Loss and RTT can look fine while the link is too narrow for the video: the server's step-down says so.
  const reception = useSessionState((s) => s.reception);
  const own: Quality = reception === 'audio' ? 'poor' : reception === 'slides' && measured !== 'poor' ? 'fair' : measured;
  const path = useNetwork((n) => n.path);
  return (
    <span className={`quality quality-${own}`} data-testid="network-quality" data-quality={own} data-protocol={path?.protocol ?? ''} data-relay={path?.relayProtocol ?? ''}>
      <span className="dot" aria-hidden="true" />
      {t('network.label', { quality: t(`network.${own}`) })}
      {path && !compact && <span className="muted"> · {t('network.detail', { protocol: pathLabel(path), rtt: path.rttMs ?? '–' })}</span>}
    </span>
  );
}
