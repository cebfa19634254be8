/**
 * The replay page's token: a replay link's `?t=` is moved into this tab's storage (out of the
 * address bar, like a join link's token); without one, the tab's join token of the lecture
 * serves (the lecturer, IT or a participant coming from the lecture).
 */
import { storedToken } from '../session/registry.ts';

const key = (path: string): string => `tongtang.replay:${path}`;

/** On a /replay/… page, moves `?t=` into storage; true when there was one. */
export function adoptReplayTokenFromUrl(): boolean {
  const url = new URL(location.href);
  const token = url.searchParams.get('t');
  if (!url.pathname.startsWith('/replay/') || !token) return false;
  sessionStorage.setItem(key(url.pathname), token);
  url.searchParams.delete('t');
  history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
  return true;
}

export function replayToken(): string | null {
  return sessionStorage.getItem(key(location.pathname)) ?? storedToken();
}
