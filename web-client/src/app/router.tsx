/**
 * Three pages: `/` to join (and check one's setup), `/lecture` for the session, and
 * `/replay/:lecture/:recording` to watch a recording (its link's `?t=` is adopted like a join
 * link's token). A join link
 * `/?token=…` — the form the server prints — is turned into `/lecture` before the first render.
 * Declarative routes: the data-router half of react-router (loaders, actions) would add ~50 kB
 * for nothing this client uses.
 */
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ReplayPage } from '../ui/replay/ReplayPage.tsx';
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
          <Route path="/replay/:lectureId/:recordingId" element={<ReplayPage />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </ViewErrorBoundary>
    </BrowserRouter>
  );
}
