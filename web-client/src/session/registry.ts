/**
 * The page's one LectureSession, created outside React so it lives exactly as long as the visit
 * (StrictMode's double effects and route re-renders never open a second connection), with the
 * test hooks installed from the start. The join token is kept in sessionStorage — per tab,
 * survives a reload — and out of the address bar, where a projector or screen share would show it.
 */
import { prefs } from '../prefs.ts';
import { LectureSession } from './LectureSession.ts';
import { installTestHooks } from './testHooks.ts';

const TOKEN_KEY = 'tongtang.token';
/** The token whose setup check this tab has been through: a reload mid-class goes straight back in. */
const CHECKED_KEY = 'tongtang.checked';
let current: { token: string; session: LectureSession; uninstall: () => void } | null = null;

/** Moves a `?token=` from the URL into this tab's storage; true when there was one. */
export function adoptTokenFromUrl(): boolean {
  const url = new URL(location.href);
  const token = url.searchParams.get('token');
  if (!token) return false;
  sessionStorage.setItem(TOKEN_KEY, token);
  url.searchParams.delete('token');
  history.replaceState(history.state, '', `/lecture${url.search}${url.hash}`);
  return true;
}

/** From the join page, whose setup check the user had on screen. */
export function rememberToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
  markSetupChecked(token);
}

export function setupChecked(token: string): boolean {
  return sessionStorage.getItem(CHECKED_KEY) === token;
}

export function markSetupChecked(token: string): void {
  sessionStorage.setItem(CHECKED_KEY, token);
}

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** The session for this tab's token, started on first use. */
export function sessionFor(token: string): LectureSession {
  if (current?.token === token) return current.session;
  leaveSession({ keepToken: true });
  const session = new LectureSession(token, { devices: () => prefs.getState() });
  const uninstall = installTestHooks(session);
  session.start();
  current = { token, session, uninstall };
  return session;
}

/** Closes the session (safe when there is none); the join page follows. */
export function leaveSession({ keepToken = false } = {}): void {
  if (!keepToken) sessionStorage.removeItem(TOKEN_KEY);
  if (!current) return;
  current.uninstall();
  current.session.close();
  current = null;
}

addEventListener('pagehide', () => current?.session.close());
