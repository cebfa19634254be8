import { useTranslation } from 'react-i18next';
import { ONLINE_SITE } from '@tongtang/shared';
import { useNow } from '../hooks/useNow.ts';
import { useActivity, useSessionState } from '../SessionContext.tsx';

/** Reactions fade after this long: the lecturer needs "the room is lost now", not a history. */
const SHOW_MS = 10_000;

/** The last few reactions with the site they came from (sites, not people: see shared/domain.ts). */
export function ReactionFeed() {
  const { t } = useTranslation();
  const recent = useActivity((a) => a.recentReactions);
  const attendance = useSessionState((s) => s.attendance);
  const now = useNow(recent.length > 0);
  const shown = recent.filter((r) => now - r.at < SHOW_MS).slice(-5);
  const siteName = (site: string) => site === ONLINE_SITE
    ? t('polls.onlineSite')
    : attendance?.classrooms.find((c) => c.classroomId === site)?.name ?? site;

  return (
    <ul className="reaction-feed" data-testid="reaction-feed" aria-label={t('reactions.recent')} aria-live="polite">
      {shown.map((r) => (
        <li key={r.key} data-testid="reaction-item" data-emoji={r.emoji} data-site={r.site}>
          <span role="img" aria-label={t(`reactions.${r.emoji}`)}>{r.emoji}</span> {siteName(r.site)}
        </li>
      ))}
    </ul>
  );
}
