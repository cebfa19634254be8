import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { rememberToken } from '../../session/registry.ts';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { ConnectivityCheck } from '../setup/ConnectivityCheck.tsx';
import { DeviceSettings } from '../setup/DeviceSettings.tsx';

interface DemoLinks {
  lectureId: string;
  title: string;
  links: Array<{ role: string; name: string; url: string }>;
}

/** A JWT is three base64url parts. */
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const ROLE_NAMES = ['lecturer', 'classroom', 'assistant', 'student', 'observer'] as const;

/** Accepts a whole join link or a bare token. */
export function tokenFrom(input: string): string | null {
  const text = input.trim();
  if (JWT.test(text)) return text;
  try {
    const token = new URL(text).searchParams.get('token');
    return token && JWT.test(token) ? token : null;
  } catch {
    return null;
  }
}

/** The same token on this page's own origin, so links work behind the dev server's proxy too. */
function localJoinUrl(url: string): string {
  const token = tokenFrom(url);
  return token ? `/?token=${encodeURIComponent(token)}` : url;
}

/** Join by link or token, demo links in demo mode, and a setup check (devices, network) before class. */
export function JoinPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [demo, setDemo] = useState<DemoLinks | null>(null);
  const [loading, setLoading] = useState(true);
  const [input, setInput] = useState('');
  const [invalid, setInvalid] = useState(false);
  const inputId = useId();

  useEffect(() => {
    let alive = true;
    (async () => {
      const config = (await fetchJson('/api/config')) as { demo?: boolean } | null;
      const links = config?.demo ? ((await fetchJson('/api/demo/links')) as DemoLinks | null) : null;
      if (alive) {
        setDemo(links);
        setLoading(false);
      }
    })();
    return () => { alive = false; };
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const token = tokenFrom(input);
    if (!token) return setInvalid(true);
    rememberToken(token);
    void navigate('/lecture');
  };
  const roleName = (role: string) => (ROLE_NAMES as readonly string[]).includes(role) ? t(`roles.${role as (typeof ROLE_NAMES)[number]}`) : role;

  return (
    <main className="join-page" data-testid="join-page">
      <header className="join-head">
        <div>
          <h1>{t('appName')}</h1>
          <p className="muted">{t('tagline')}</p>
        </div>
        <LanguageSwitch />
      </header>
      <form className="panel" onSubmit={submit} aria-labelledby="join-heading">
        <h2 id="join-heading">{t('join.heading')}</h2>
        <p className="muted">{t('join.intro')}</p>
        <label htmlFor={inputId}>{t('join.pasteLabel')}</label>
        <div className="row">
          <input id={inputId} data-testid="join-input" value={input} placeholder={t('join.pastePlaceholder')} autoComplete="off"
            aria-invalid={invalid} onChange={(e) => { setInput(e.target.value); setInvalid(false); }} />
          <button type="submit" className="primary" data-testid="join-submit">{t('join.submit')}</button>
        </div>
        {invalid && <p className="problem" role="alert" data-testid="join-invalid">{t('join.invalid')}</p>}
      </form>
      {loading && <p className="muted">{t('join.loading')}</p>}
      {demo && (
        <section className="panel" data-testid="demo-links" aria-labelledby="demo-heading">
          <h2 id="demo-heading">{t('join.demoHeading')}: {demo.title}</h2>
          <p className="muted">{t('join.demoIntro')}</p>
          <ul className="demo-links">
            {demo.links.map((link, i) => (
              <li key={link.url}>
                <a href={localJoinUrl(link.url)} data-testid={`demo-link-${i}`} data-role={link.role}>{link.name}</a>{' '}
                <span className="muted">({roleName(link.role)})</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="panel setup-panel" data-testid="setup-panel" aria-labelledby="setup-heading">
        <h2 id="setup-heading">{t('join.setupHeading')}</h2>
        <p className="muted">{t('join.setupIntro')}</p>
        <DeviceSettings autoTest={false} />
        <ConnectivityCheck session={null} />
      </section>
    </main>
  );
}

async function fetchJson(url: string): Promise<unknown> {
  try {
    const res = await fetch(url);
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}
