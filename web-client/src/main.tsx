/**
 * Entry point. The session is created outside React so it lives exactly as long as the page
 * (no double connection from effects running twice) and the test hooks exist from the start.
 */
import { createRoot } from 'react-dom/client';
import { Session } from './session/Session.ts';
import { installTestHooks } from './session/testHooks.ts';
import { App } from './ui/App.tsx';
import './styles.css';

const token = new URLSearchParams(location.search).get('token');
const session = token ? new Session(token) : null;
if (session) {
  installTestHooks(session);
  session.start();
  window.addEventListener('pagehide', () => session.close());
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html lost its #root');
createRoot(root).render(<App session={session} />);
