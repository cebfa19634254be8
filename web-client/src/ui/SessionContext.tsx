import { createContext, useContext, useSyncExternalStore } from 'react';
import type { MediaSnapshot } from '../media/RoomClient.ts';
import type { Session, SessionSnapshot } from '../session/Session.ts';

const SessionContext = createContext<Session | null>(null);
export const SessionProvider = SessionContext.Provider;

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside <SessionProvider>');
  return session;
}

export function useSessionState(): SessionSnapshot {
  const { store } = useSession();
  return useSyncExternalStore(store.subscribe, store.get);
}

export function useMedia(): MediaSnapshot {
  const { media } = useSession();
  return useSyncExternalStore(media.subscribe, media.get);
}
