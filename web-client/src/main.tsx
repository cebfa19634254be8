/**
 * Entry point: translations and the join token are settled before the first render, so the
 * page never flashes untranslated keys and the session connects at once.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AppRoutes } from './app/router.tsx';
import { initI18n } from './i18n/index.ts';
import { adoptReplayTokenFromUrl } from './replay/access.ts';
import { adoptTokenFromUrl } from './session/registry.ts';
import './styles/base.css';
import './styles/layout.css';
import './styles/panels.css';
import './styles/classroom.css';
import './styles/replay.css';

initI18n();
adoptTokenFromUrl();
adoptReplayTokenFromUrl();

const root = document.getElementById('root');
if (!root) throw new Error('index.html lost its #root');
createRoot(root).render(
  <StrictMode>
    <AppRoutes />
  </StrictMode>,
);
