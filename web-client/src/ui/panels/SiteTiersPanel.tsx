import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { TIERS, type Tier } from '@tongtang/shared';
import { useSession, useSessionState } from '../SessionContext.tsx';

/**
 * Each partner classroom's quality ceiling, for the lecturer and IT: Auto follows the role's
 * (projector rooms take the top layer), or cap a campus whose link cannot carry it. Changes reach
 * that classroom's receivers at once.
 */
export function SiteTiersPanel() {
  const { t } = useTranslation();
  const session = useSession();
  const tiers = useSessionState((s) => s.tiers);
  const classrooms = useSessionState((s) => s.attendance?.classrooms ?? []);
  const headingId = useId();
  if (!tiers) return null;
  const roleTier = tiers.defaults.classroom;
  return (
    <section className="site-tiers" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('tiers.heading')}</h3>
      <p className="muted small">{t('tiers.hint', { student: t(`tiers.tier.${tiers.defaults.student}`) })}</p>
      {classrooms.length === 0 ? <p className="muted small">{t('tiers.none')}</p> : (
        <ul className="site-tiers-list">
          {classrooms.map((c) => (
            <li key={c.classroomId}>
              <label>
                <span className="site-tiers-name">{c.name}</span>
                <select value={tiers.classrooms[c.classroomId] ?? 'auto'} aria-label={t('tiers.for', { name: c.name })}
                  onChange={(e) => session.setTier(c.classroomId, e.target.value as Tier | 'auto')}>
                  <option value="auto">{t('tiers.auto', { tier: t(`tiers.tier.${roleTier}`) })}</option>
                  {TIERS.map((tier) => <option key={tier} value={tier}>{t(`tiers.tier.${tier}`)}</option>)}
                </select>
              </label>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
