/**
 * Two pages: `/` to join (and check one's setup), `/lecture` for the session. A join link
 * `/?token=…` — the form the server prints — is turned into `/lecture` before the first render.
 * Declarative routes: the data-router half of react-router (loaders, actions) would add ~50 kB
 * for nothing this client uses.
 */
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { JoinPage } from '../ui/views/JoinPage.tsx';
import { LectureRoute } from './LectureRoute.tsx';
import { ViewErrorBoundary } from './ViewErrorBoundary.tsx';

export function AppRoutes() {
  return (
    <BrowserRouter>
      <ViewErrorBoundary>
        <Routes>
          <Route path="/" element={<JoinPage />} />
          <Route path="/lecture" element={<LectureRoute />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </ViewErrorBoundary>
    </BrowserRouter>
  );
}
