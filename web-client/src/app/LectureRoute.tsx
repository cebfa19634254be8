import { useState } from 'react';
import { Navigate } from 'react-router';
import { markSetupChecked, sessionFor, setupChecked, storedToken } from '../session/registry.ts';
import { SessionProvider } from '../ui/SessionContext.tsx';
import { PreJoin } from '../ui/views/PreJoin.tsx';
import { SessionView } from '../ui/views/SessionView.tsx';

/**
 * The lecture for this tab's join token; without one, back to the join page. A join link first
 * shows the device and connection check; the session connects once the user goes in.
 */
export function LectureRoute() {
  const token = storedToken();
  const [checked, setChecked] = useState(() => token !== null && setupChecked(token));
  if (!token) return <Navigate to="/" replace />;
  if (!checked) return <PreJoin token={token} onJoin={() => { markSetupChecked(token); setChecked(true); }} />;
  return (
    <SessionProvider value={sessionFor(token)}>
      <SessionView />
    </SessionProvider>
  );
}
