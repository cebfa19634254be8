import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ONLINE_SITE, type PollView } from '@tongtang/shared';
import { useActivity, useSessionState } from '../SessionContext.tsx';

/**
 * The frame every non-lecturer poll panel shares: the lecture's latest poll with its header, or
 * a note that there is none; `children` renders what each role does with it.
 */
export function LatestPoll({ children }: { children: (poll: PollView) => ReactNode }) {
  const { t } = useTranslation();
  const latest = useActivity((a) => a.polls.at(-1));
  if (!latest) return <p className="muted" data-testid="poll-none">{t('polls.none')}</p>;
  return (
    <section className="polls" data-testid="poll-panel" aria-label={t('polls.heading')}>
      <div data-testid={`poll-${latest.id}`}>
        <PollHeader poll={latest} />
        {children(latest)}
      </div>
    </section>
  );
}

/** Results as horizontal bars; the numbers are text, the bar is decoration. */
export function PollBars({ poll }: { poll: PollView }) {
  const { t } = useTranslation();
  const counts = poll.results.perOption;
  const total = counts.reduce((a, b) => a + b, 0);
  return (
    <ol className="poll-bars" data-testid="poll-bars">
      {poll.options.map((option, i) => {
        const count = counts[i] ?? 0;
        const percent = total === 0 ? 0 : Math.round((count / total) * 100);
        return (
          <li key={i} data-testid={`poll-bar-${i}`} data-count={count}>
            <div className="poll-bar-label">
              <span>{option}</span>
              <span className="poll-bar-count">{t('polls.bar', { count, percent })}</span>
            </div>
            <div className="poll-bar-track" aria-hidden="true"><div className="poll-bar-fill" style={{ width: `${percent}%` }} /></div>
          </li>
        );
      })}
    </ol>
  );
}

/** One row per site (each partner classroom, and the remote students together). */
export function PollSiteTable({ poll }: { poll: PollView }) {
  const { t } = useTranslation();
  const attendance = useSessionState((s) => s.attendance);
  const sites = Object.entries(poll.results.perSite);
  if (sites.length === 0) return null;
  const name = (site: string) => site === ONLINE_SITE
    ? t('polls.onlineSite')
    : attendance?.classrooms.find((c) => c.classroomId === site)?.name ?? site;
  return (
    <table className="poll-sites" data-testid="poll-sites">
      <caption>{t('polls.perSite')}</caption>
      <thead>
        <tr><th scope="col">{t('polls.site')}</th>{poll.options.map((o, i) => <th key={i} scope="col">{o}</th>)}</tr>
      </thead>
      <tbody>
        {sites.map(([site, counts]) => (
          <tr key={site} data-testid={`poll-site-${site}`}>
            <th scope="row">{name(site)}</th>
            {poll.options.map((_, i) => <td key={i}>{counts[i] ?? 0}</td>)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PollHeader({ poll }: { poll: PollView }) {
  const { t } = useTranslation();
  const student = useSessionState((s) => s.self?.role === 'student');
  return (
    <div className="poll-head">
      <h3 className="poll-question" data-testid="poll-question">{poll.question}</h3>
      <span className={poll.state === 'open' ? 'badge badge-open' : 'badge'} data-testid="poll-state" data-state={poll.state}>
        {poll.state === 'open' ? t('polls.live') : t('polls.closed')}
      </span>
      <span className="muted small" data-testid="poll-respondents">{t('polls.respondents', { count: poll.results.respondents })}</span>
      {/* One rule per role, said where the results are: staff and projectors live, students at the close. */}
      {poll.state === 'open' && <p className="muted small poll-rule">{student ? t('polls.ruleStudent') : t('polls.ruleLive')}</p>}
    </div>
  );
}
