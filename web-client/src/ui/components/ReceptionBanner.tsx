import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSessionState } from '../SessionContext.tsx';

/** How long "video is back" stays up. */
const BACK_MS = 5_000;

/**
 * When the link cannot carry the lecture's video, the server steps this receiver down to audio
 * plus slides, then audio only: say so (it is the network, not the lecturer), and say when the
 * video came back by itself.
 */
export function ReceptionBanner() {
  const { t } = useTranslation();
  const reception = useSessionState((s) => s.reception);
  const [back, setBack] = useState(false);
  const wasDown = useRef(false);

  useEffect(() => {
    if (reception !== 'full') {
      wasDown.current = true;
      setBack(false);
      return;
    }
    if (!wasDown.current) return;
    wasDown.current = false;
    setBack(true);
    const timer = setTimeout(() => setBack(false), BACK_MS);
    return () => clearTimeout(timer);
  }, [reception]);

  if (reception !== 'full') {
    return <div className="conn-banner reception-banner conn-lost" role="status" data-testid="reception-banner" data-mode={reception}>{t(`reception.${reception}`)}</div>;
  }
  if (!back) return null;
  return <div className="conn-banner reception-banner conn-back" role="status" data-testid="reception-banner" data-mode="back">{t('reception.back')}</div>;
}
