import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '@tongtang/shared';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { ConnectivityCheck } from '../setup/ConnectivityCheck.tsx';
import { DeviceSettings } from '../setup/DeviceSettings.tsx';

/** Who the link is for, read from the token's claims (the server checks the signature; this is only a greeting). */
function claimsOf(token: string): { name: string; role: Role | null } | null {
  try {
    const base64 = (token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const payload = JSON.parse(new TextDecoder().decode(bytes)) as { name?: unknown; role?: unknown };
    const role = (ROLES as readonly unknown[]).includes(payload.role) ? (payload.role as Role) : null;
    return typeof payload.name === 'string' ? { name: payload.name, role } : null;
  } catch {
    return null;
  }
}

/** A join link's first page: the same device and connection check as the start page, then in. */
export function PreJoin({ token, onJoin }: { token: string; onJoin: () => void }) {
  const { t } = useTranslation();
  const claims = claimsOf(token);
  return (
    <main className="join-page" data-testid="pre-join">
      <header className="join-head">
        <div>
          <h1>{t('appName')}</h1>
          <p className="muted">{t('tagline')}</p>
        </div>
        <LanguageSwitch />
      </header>
      <section className="panel" aria-labelledby="prejoin-heading">
        <h2 id="prejoin-heading">{t('join.setupHeading')}</h2>
        {claims && <p>{t('join.joiningAs', { name: claims.name, role: claims.role ? t(`roles.${claims.role}`) : '' })}</p>}
        <p className="muted">{t('join.setupIntro')}</p>
        <button type="button" className="primary join-now" onClick={onJoin}>{t('join.enter')}</button>
      </section>
      <section className="panel setup-panel" aria-label={t('join.setupHeading')}>
        <DeviceSettings autoTest={false} />
        <ConnectivityCheck session={null} />
      </section>
    </main>
  );
}
