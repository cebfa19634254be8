import { useEffect, useState, type FormEvent } from 'react';
import { t } from '../../i18n/index.ts';

interface DemoLinks {
  lectureId: string;
  title: string;
  links: Array<{ role: string; name: string; url: string }>;
}

/** A JWT is three base64url parts. */
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

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
  return token ? `${location.pathname}?token=${encodeURIComponent(token)}` : url;
}

export function JoinPage() {
  const [demo, setDemo] = useState<DemoLinks | null>(null);
  const [loading, setLoading] = useState(true);
  const [input, setInput] = useState('');
  const [invalid, setInvalid] = useState(false);

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
    location.assign(`${location.pathname}?token=${encodeURIComponent(token)}`);
  };

  return (
    <div className="join-page" data-testid="join-page">
      <h1>{t.appName}</h1>
      <h2>{t.join.heading}</h2>
      {loading && <p className="muted">{t.join.loading}</p>}
      {demo && (
        <section className="panel" data-testid="demo-links">
          <h3>{t.join.demoHeading}: {demo.title}</h3>
          <p className="muted">{t.join.demoIntro}</p>
          <ul>
            {demo.links.map((link, i) => (
              <li key={link.url}>
                <a href={localJoinUrl(link.url)} data-testid={`demo-link-${i}`} data-role={link.role}>
                  {link.name}
                </a>{' '}
                <span className="muted">({link.role in t.roles ? t.roles[link.role as keyof typeof t.roles] : link.role})</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <form className="panel" onSubmit={submit}>
        <p className="muted">{t.join.intro}</p>
        <label htmlFor="join-input">{t.join.pasteLabel}</label>
        <div className="row">
          <input id="join-input" data-testid="join-input" value={input} placeholder={t.join.pastePlaceholder}
            onChange={(e) => { setInput(e.target.value); setInvalid(false); }} />
          <button type="submit" className="primary" data-testid="join-submit">{t.join.submit}</button>
        </div>
        {invalid && <p className="error" role="alert">{t.join.invalid}</p>}
      </form>
    </div>
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
