import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { replayToken } from '../../replay/access.ts';
import { clock, loadChapters, loadReplay, replayBase, ReplayError, type Chapter, type ReplayInfo } from '../../replay/api.ts';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { ChapterList } from './ChapterList.tsx';
import { EventTimeline } from './EventTimeline.tsx';
import { ReplayPlayer } from './ReplayPlayer.tsx';

const POLL_MS = 3_000;

/** A recorded lecture: the composed video, its chapters and the timeline beside it, downloads. */
export function ReplayPage() {
  const { t } = useTranslation();
  const { lectureId = '', recordingId = '' } = useParams();
  const token = useMemo(() => replayToken(), []);
  const base = replayBase(lectureId, recordingId);
  const [info, setInfo] = useState<ReplayInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chapters, setChapters] = useState<Chapter[]>([]);
  const [now, setNow] = useState(0);
  const videoRef = useRef<HTMLVideoElement>(null);
  const ready = info?.replay?.state === 'ready';

  useEffect(() => {
    if (!token) return;
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (): Promise<void> => {
      try {
        const next = await loadReplay(base, token);
        if (!alive) return;
        setInfo(next);
        // Still being made: look again until it is ready or failed.
        if (next.recording.state === 'composing' || next.recording.state === 'recording') timer = setTimeout(() => void load(), POLL_MS);
        else if (next.replay?.state === 'ready') setChapters(await loadChapters(base, token));
      } catch (err) {
        if (alive) setError(err instanceof ReplayError ? err.code : 'UNAVAILABLE');
      }
    };
    void load();
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [base, token]);

  const seek = useCallback((seconds: number) => {
    const video = videoRef.current;
    if (!video) return;
    video.currentTime = seconds;
    setNow(seconds);
    void video.play().catch(() => undefined);
  }, []);

  const title = String(info?.events.find((e) => e.type === 'recording.started')?.['title'] ?? '');
  const q = `t=${encodeURIComponent(token ?? '')}`;
  return (
    <div className="replay-page">
      <header className="topbar">
        <div className="topbar-title">
          <h1 className="topbar-heading">{t('replay.heading')}</h1>
          {title && <span className="muted"> · {title}</span>}
          {info?.recording.startedAt && <span className="muted small"> · {new Date(info.recording.startedAt).toLocaleString()}</span>}
        </div>
        <LanguageSwitch />
      </header>
      {!token && <p role="alert" className="problem replay-message">{t('replay.noToken')}</p>}
      {error && <p role="alert" className="problem replay-message">{t(`replay.errors.${error}`, { defaultValue: t(`errors.${error}`, { defaultValue: t('errors.INTERNAL') }) })}</p>}
      {info && !ready && <ReplayState info={info} />}
      {info && ready && token && (
        <main className="replay-main">
          <section className="replay-left">
            <ReplayPlayer base={base} token={token} videoRef={videoRef} onTime={setNow} />
            {info.replay!.gaps.length > 0 && (
              <div className="replay-gaps">
                <h2>{t('replay.gaps')}</h2>
                <ul>
                  {info.replay!.gaps.map((g) => (
                    <li key={`${g.fromMs}-${g.track}`}>
                      {t('replay.gap', { from: clock(g.fromMs / 1000), to: clock(g.toMs / 1000), track: g.track })}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <nav className="replay-downloads" aria-label={t('replay.downloads')}>
              <a href={`${base}/replay/replay.mp4?download=1&${q}`} download>{t('replay.downloadVideo')}</a>
              <a href={`${base}/events?${q}`} download>{t('replay.downloadEvents')}</a>
              <a href={`${base}/events.csv?${q}`} download>{t('replay.downloadCsv')}</a>
            </nav>
          </section>
          <div className="replay-side">
            <ChapterList chapters={chapters} now={now} onSeek={seek} />
            <EventTimeline events={info.events} videoStartedAt={info.replay!.videoStartedAt ?? 0} durationMs={info.replay!.durationMs ?? 0} onSeek={seek} />
          </div>
        </main>
      )}
    </div>
  );
}

/** Not playable yet, or never: says which, with progress or the reason. */
function ReplayState({ info }: { info: ReplayInfo }) {
  const { t } = useTranslation();
  const { recording, replay } = info;
  const text = recording.state === 'recording' ? t('replay.state.recording')
    : recording.state === 'failed' ? t('replay.state.failed', { reason: recording.reason ?? '' })
      : replay?.queued ? t('replay.state.queued')
        : t('replay.state.composing', { percent: Math.round((replay?.progress ?? 0) * 100) });
  return <p role="status" className="replay-message">{text}</p>;
}
