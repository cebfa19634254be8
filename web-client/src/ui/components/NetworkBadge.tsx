import { useTranslation } from 'react-i18next';
import { useNetwork } from '../SessionContext.tsx';

/** This page's own connection: a coloured dot plus words (colour alone is not enough), and the path in use. */
export function NetworkBadge({ compact }: { compact?: boolean }) {
  const { t } = useTranslation();
  const own = useNetwork((n) => n.own);
  const path = useNetwork((n) => n.path);
  // A relayed path names how the browser reaches TURN (TURN/TLS on a 443-only campus).
  const shown = path?.relayed ? `TURN/${(path.relayProtocol ?? path.protocol).toUpperCase()}` : path?.protocol.toUpperCase();
  return (
    <span className={`quality quality-${own}`} data-testid="network-quality" data-quality={own} data-protocol={path?.protocol ?? ''} data-relay={path?.relayProtocol ?? ''}>
      <span className="dot" aria-hidden="true" />
      {t('network.label', { quality: t(`network.${own}`) })}
      {path && !compact && <span className="muted"> · {t('network.detail', { protocol: shown, rtt: path.rttMs ?? '–' })}</span>}
    </span>
  );
}
