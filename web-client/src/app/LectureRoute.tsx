import { Navigate } from 'react-router';
import { sessionFor, storedToken } from '../session/registry.ts';
import { SessionProvider } from '../ui/SessionContext.tsx';
import { SessionView } from '../ui/views/SessionView.tsx';

/** The lecture for this tab's join token; without one, back to the join page. */
export function LectureRoute() {
  const token = storedToken();
  if (!token) return <Navigate to="/" replace />;
  return (
    <SessionProvider value={sessionFor(token)}>
      <SessionView />
    </SessionProvider>
  );
}
