import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSessionState } from '../SessionContext.tsx';

/** How long "reconnected" stays up: long enough to notice from the back of a room. */
const BACK_MS = 5_000;

/**
 * A banner while the live connection is down, and a short "reconnected" once it has recovered
 * (joined again), so a classroom knows the silence was the network and that it is over.
 */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const connection = useSessionState((s) => s.connection);
  const joined = useSessionState((s) => s.joined);
  const mediaRecovering = useSessionState((s) => s.mediaRecovering);
  const [back, setBack] = useState(false);
  const wasLost = useRef(false);

  useEffect(() => {
    if (connection === 'reconnecting') {
      wasLost.current = true;
      setBack(false);
      return;
    }
    if (connection !== 'connected' || !joined || !wasLost.current) return;
    wasLost.current = false;
    setBack(true);
  }, [connection, joined]);

  useEffect(() => {
    if (!back) return;
    const timer = setTimeout(() => setBack(false), BACK_MS);
    return () => clearTimeout(timer);
  }, [back]);

  if (connection === 'reconnecting') {
    return <div className="conn-banner conn-lost" role="alert" data-testid="reconnect-banner" data-state="reconnecting">{t('reconnect.lost')}</div>;
  }
  if (mediaRecovering) {
    return <div className="conn-banner conn-lost" role="status" data-testid="reconnect-banner" data-state="media">{t('reconnect.media')}</div>;
  }
  if (!back) return null;
  return <div className="conn-banner conn-back" role="status" data-testid="reconnect-banner" data-state="reconnected">{t('reconnect.back')}</div>;
}
