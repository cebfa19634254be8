import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClassroomSource } from '@tongtang/shared';
import { useSession, useSessionState } from '../SessionContext.tsx';

type Choice = ClassroomSource['kind'];

/**
 * Partner classrooms' hardware, for the lecturer and IT: connect a room's encoder (RTMP: the
 * server makes a URL and key to enter in it) or IP camera (RTSP: IT gives its URL), see how it is
 * doing, disconnect it (the key stops working and the projector PC's camera comes back).
 */
export function SourcesPanel() {
  const { t } = useTranslation();
  const sources = useSessionState((s) => s.sources);
  const classrooms = useSessionState((s) => s.attendance?.classrooms ?? []);
  const headingId = useId();
  if (!sources) return null;
  return (
    <section className="sources" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('sources.heading')}</h3>
      <p className="muted small">{t('sources.hint')}</p>
      {classrooms.length === 0 ? <p className="muted small">{t('sources.none')}</p> : (
        <ul className="sources-list">
          {classrooms.map((c) => (
            <SourceRow key={c.classroomId} classroomId={c.classroomId} name={c.name} source={sources.find((s) => s.classroomId === c.classroomId)} />
          ))}
        </ul>
      )}
    </section>
  );
}

function SourceRow({ classroomId, name, source }: { classroomId: string; name: string; source: ClassroomSource | undefined }) {
  const { t } = useTranslation();
  const session = useSession();
  const [kind, setKind] = useState<Choice>(source?.kind ?? 'rtmp');
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const run = (work: Promise<void>) => {
    setBusy(true);
    void work.finally(() => setBusy(false));
  };
  return (
    <li className="source-row">
      <div className="source-head">
        <span className="source-name">{name}</span>
        <span className="muted small">{t(`sources.kind.${source?.kind ?? 'browser'}`)}</span>
      </div>
      {source ? <SourceStatus source={source} name={name} onDisconnect={() => run(session.closeSource(classroomId))} busy={busy} /> : (
        <form className="source-form" onSubmit={(e) => {
          e.preventDefault();
          run(session.openSource(classroomId, kind === 'rtsp' ? { kind, url } : { kind }));
        }}>
          <select value={kind} aria-label={t('sources.kindFor', { name })} onChange={(e) => setKind(e.target.value as Choice)}>
            <option value="rtmp">{t('sources.kind.rtmp')}</option>
            <option value="rtsp">{t('sources.kind.rtsp')}</option>
            <option value="whip">{t('sources.kind.whip')}</option>
          </select>
          {kind === 'rtsp' && (
            <input type="url" required value={url} onChange={(e) => setUrl(e.target.value)} maxLength={1000}
              aria-label={t('sources.cameraUrl', { name })} placeholder={t('sources.cameraUrlPlaceholder')} />
          )}
          {/* The visible word starts the accessible name, which also says which classroom. */}
          <button type="submit" disabled={busy} aria-label={t('sources.connect', { name })}>{t('sources.connectShort')}</button>
        </form>
      )}
    </li>
  );
}

function SourceStatus({ source, name, onDisconnect, busy }: { source: ClassroomSource; name: string; onDisconnect: () => void; busy: boolean }) {
  const { t } = useTranslation();
  const { health } = source;
  return (
    <div className="source-status">
      <p className={`source-state source-${health.state}`} role="status">{t(`sources.state.${health.state}`)}</p>
      <p className="small">{t('sources.health', {
        // WHIP is passed through, not decoded: the gateway counts no frames.
        fps: source.kind === 'whip' ? '–' : Math.round(health.fps), kbps: health.bitrateKbps, gop: health.keyFrameSeconds ?? '–', reconnects: health.reconnects,
      })}</p>
      {health.lastError && health.state !== 'live' && <p className="small source-error">{t('sources.lastError', { error: health.lastError })}</p>}
      {source.kind === 'rtmp' && source.ingestUrl && source.key && (
        <dl className="source-secrets">
          <dt>{t('sources.pushTo')}</dt><dd><code>{source.ingestUrl}</code></dd>
          <dt>{t('sources.key')}</dt><dd><code>{source.key}</code></dd>
        </dl>
      )}
      {source.kind === 'whip' && source.ingestUrl && source.key && (
        <dl className="source-secrets">
          <dt>{t('sources.whipUrl')}</dt><dd><code>{new URL(source.ingestUrl, window.location.origin).toString()}</code></dd>
          <dt>{t('sources.bearer')}</dt><dd><code>{source.key}</code></dd>
        </dl>
      )}
      {source.kind === 'rtmp' && <p className="muted small">{t('sources.keyHint')}</p>}
      {source.kind === 'whip' && <p className="muted small">{t('sources.whipHint')}</p>}
      {source.cameraUrl && <p className="small"><code>{source.cameraUrl}</code></p>}
      <button type="button" onClick={onDisconnect} disabled={busy} aria-label={t('sources.disconnect', { name })}>{t('sources.disconnectShort')}</button>
    </div>
  );
}
