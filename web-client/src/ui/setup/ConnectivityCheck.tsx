import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checkServer, probeMedia, probeSignaling, serverOffersTurn, type CheckStatus, type MediaCheck, type ServerCheck } from '../../media/connectivity.ts';
import { pathLabel } from '../../media/stats.ts';
import type { LectureSession } from '../../session/LectureSession.ts';

interface Results {
  server: ServerCheck;
  signaling: CheckStatus;
  media: MediaCheck;
}

const CHECKING: Results = { server: { status: 'checking', ms: null }, signaling: 'checking', media: { status: 'checking', path: null } };

/**
 * Server, live connection and media path. In a session the media path is the real one (the
 * selected ICE candidate pair of the receive or send transport); before joining, or before any
 * media flows, a throwaway probe transport finds it.
 */
export function ConnectivityCheck({ session }: { session: LectureSession | null }) {
  const { t } = useTranslation();
  const [results, setResults] = useState<Results>(CHECKING);

  const run = useCallback(async () => {
    setResults(CHECKING);
    const [server, signaling, media] = await Promise.all([
      checkServer(),
      session ? Promise.resolve<CheckStatus>(session.signal.state === 'connected' ? 'ok' : 'fail') : probeSignaling(),
      mediaPath(session),
    ]);
    setResults({ server, signaling, media });
  }, [session]);

  useEffect(() => { void run(); }, [run]);

  const { server, signaling, media } = results;
  const text = (status: CheckStatus, ok: string, fail: string) =>
    status === 'checking' ? t('setup.checking') : status === 'ok' ? ok : fail;
  const mediaText = media.status === 'checking' ? t('setup.checking')
    : media.path ? t('setup.mediaPath', { protocol: pathLabel(media.path), rtt: media.path.rttMs ?? '–' })
    : media.viaTurn ? t('setup.mediaViaTurn')
    : t('setup.mediaBlocked');

  return (
    <section className="connectivity" data-testid="connectivity-check" aria-live="polite">
      <h3>{t('setup.checkHeading')}</h3>
      <dl className="checks">
        <Row testId="check-server" status={server.status} label={t('setup.server')}
          value={text(server.status, t('setup.reachable', { ms: server.ms ?? '–' }), t('setup.unreachable'))} />
        <Row testId="check-signaling" status={signaling} label={t('setup.signaling')}
          value={text(signaling, session ? t('setup.connected') : t('setup.wsReachable'), session ? t('setup.notConnected') : t('setup.unreachable'))} />
        <Row testId="check-media" status={media.status} label={t('setup.media')} value={mediaText} protocol={media.path?.protocol} />
      </dl>
      <button type="button" data-testid="check-again" onClick={() => void run()}>{t('setup.checkAgain')}</button>
    </section>
  );
}

function Row({ testId, status, label, value, protocol }: { testId: string; status: CheckStatus; label: string; value: string; protocol?: string }) {
  return (
    <div className={`check check-${status}`} data-testid={testId} data-status={status} data-protocol={protocol ?? ''}>
      <dt>{label}</dt>
      <dd><span className="dot" aria-hidden="true" />{value}</dd>
    </div>
  );
}

async function mediaPath(session: LectureSession | null): Promise<MediaCheck> {
  const paths = await session?.room?.transportPaths();
  const path = paths ? paths.recv ?? paths.send : null;
  if (path) return { status: 'ok', path };
  const probed = await probeMedia();
  // The probe has no TURN credential; a campus that only lets TLS on 443 out still gets the lecture.
  if (probed.status === 'fail' && (await serverOffersTurn())) return { status: 'pending', path: null, viaTurn: true };
  return probed;
}
