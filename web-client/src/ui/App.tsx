import type { Session } from '../session/Session.ts';
import { SessionProvider } from './SessionContext.tsx';
import { JoinPage } from './views/JoinPage.tsx';
import { SessionView } from './views/SessionView.tsx';

/** With a token in the URL the page is a session; without one it is the join page. */
export function App({ session }: { session: Session | null }) {
  if (!session) return <JoinPage />;
  return (
    <SessionProvider value={session}>
      <SessionView />
    </SessionProvider>
  );
}
