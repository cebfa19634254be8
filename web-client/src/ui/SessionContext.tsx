import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { MediaSnapshot } from '../media/RoomClient.ts';
import type { ActivitySnapshot } from '../session/Activity.ts';
import type { NetworkSnapshot } from '../session/NetworkMonitor.ts';
import type { LectureSession, SessionSnapshot } from '../session/LectureSession.ts';

const SessionContext = createContext<LectureSession | null>(null);
export const SessionProvider = SessionContext.Provider;

export function useSession(): LectureSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside <SessionProvider>');
  return session;
}

/** The session when inside one; the join page's setup check runs without. */
export function useOptionalSession(): LectureSession | null {
  return useContext(SessionContext);
}

/** The lecture state; pass a selector to re-render only when that part changes. */
export function useSessionState(): SessionSnapshot;
export function useSessionState<T>(select: (s: SessionSnapshot) => T): T;
export function useSessionState<T>(select?: (s: SessionSnapshot) => T): T | SessionSnapshot {
  const store = useSession().store;
  return useStore(store, (select ?? ((s: SessionSnapshot) => s)) as (s: SessionSnapshot) => T | SessionSnapshot);
}

export function useMedia(): MediaSnapshot {
  return useStore(useSession().media);
}

export function useActivity<T>(select: (s: ActivitySnapshot) => T): T {
  return useStore(useSession().activity.store, select);
}

export function useNetwork<T>(select: (s: NetworkSnapshot) => T): T {
  return useStore(useSession().network.store, select);
}
