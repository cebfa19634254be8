import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { clock } from '../../replay/api.ts';
import { storedToken } from '../../session/registry.ts';
import { useSessionState } from '../SessionContext.tsx';

interface Row {
  id: string;
  state: 'recording' | 'composing' | 'ready' | 'failed';
  reason: string | null;
  startedAt: number | null;
  durationMs: number | null;
  bytes: number;
  replay: { queued: boolean; progress: number } | null;
}

const REFRESH_MS = 4_000;

/**
 * The lecture's recordings for the lecturer and IT: when, how long, how large, and whether the
 * replay is being made, ready or failed (with the reason); a ready one gets a replay link to
 * open or share, and downloads.
 */
export function RecordingsPanel() {
  const { t } = useTranslation();
  const lectureId = useSessionState((s) => s.lecture?.id ?? null);
  const recordingState = useSessionState((s) => s.lecture?.recording?.state ?? 'idle');
  const [rows, setRows] = useState<Row[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [links, setLinks] = useState<Record<string, { url: string; token: string }>>({});

  const base = lectureId ? `/api/recordings/${encodeURIComponent(lectureId)}` : null;
  const load = useCallback(async () => {
    if (!base) return;
    try {
      const res = await fetch(base, { headers: { authorization: `Bearer ${storedToken() ?? ''}` } });
      if (!res.ok) throw new Error(String(res.status));
      setRows(((await res.json()) as { recordings: Row[] }).recordings.reverse());
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, [base]);

  // Again whenever recording starts or stops, and while any recording or composition runs.
  const pending = rows?.some((r) => r.state === 'recording' || r.state === 'composing') ?? false;
  useEffect(() => { void load(); }, [load, recordingState]);
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [pending, load]);

  const makeLink = async (id: string): Promise<void> => {
    const res = await fetch(`${base}/${id}/replay-link`, {
      method: 'POST', headers: { authorization: `Bearer ${storedToken() ?? ''}`, 'content-type': 'application/json' }, body: '{}',
    });
    if (!res.ok) return setFailed(true);
    const { url, token } = (await res.json()) as { url: string; token: string };
    setLinks((l) => ({ ...l, [id]: { url: new URL(url, location.origin).href, token } }));
  };

  return (
    <section className="recordings" aria-labelledby="recordings-heading">
      <h2 id="recordings-heading" className="panel-title">{t('recordings.heading')}</h2>
      {failed && <p role="alert" className="problem">{t('recordings.loadFailed')}</p>}
      {rows?.length === 0 && <p className="muted">{t('recordings.none')}</p>}
      <ul className="recordings-list">
        {rows?.map((r) => (
          <li key={r.id} className="recordings-row">
            <p>
              <strong>{r.startedAt ? new Date(r.startedAt).toLocaleString() : r.id}</strong>
              <span className="muted"> · {clock((r.durationMs ?? 0) / 1000)} · {(r.bytes / 1e6).toFixed(1)} MB</span>
            </p>
            <p className={r.state === 'failed' ? 'problem' : 'muted'}>{stateText(r, t)}</p>
            {r.state === 'ready' && !links[r.id] && (
              <button type="button" className="small-button" onClick={() => void makeLink(r.id)}>{t('recordings.makeLink')}</button>
            )}
            {links[r.id] && (
              <div className="recordings-link">
                <label>
                  <span>{t('recordings.link')}</span>
                  <input readOnly value={links[r.id]!.url} onFocus={(e) => e.currentTarget.select()} />
                </label>
                <p className="recordings-actions">
                  <a href={links[r.id]!.url} target="_blank" rel="noopener">{t('recordings.open')}</a>
                  <a href={`${base}/${r.id}/replay/replay.mp4?download=1&t=${links[r.id]!.token}`} download>{t('replay.downloadVideo')}</a>
                  <a href={`${base}/${r.id}/events.csv?t=${links[r.id]!.token}`} download>{t('replay.downloadCsv')}</a>
                </p>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function stateText(r: Row, t: ReturnType<typeof useTranslation>['t']): string {
  switch (r.state) {
    case 'recording': return t('recordings.state.recording');
    case 'composing': return r.replay?.queued || !r.replay ? t('recordings.state.queued') : t('recordings.state.composing', { percent: Math.round(r.replay.progress * 100) });
    case 'ready': return t('recordings.state.ready');
    case 'failed': return t('recordings.state.failed', { reason: r.reason ?? '' });
  }
}
