import { useTranslation } from 'react-i18next';
import type { Role } from '@tongtang/shared';
import { AudioSink } from '../components/AudioSink.tsx';
import { ConnectionBanner } from '../components/ConnectionBanner.tsx';
import { ReceptionBanner } from '../components/ReceptionBanner.tsx';
import { LeaveButton } from '../components/LeaveButton.tsx';
import { NoticeBanner } from '../components/Notices.tsx';
import { useSessionState } from '../SessionContext.tsx';
import { AssistantView } from './AssistantView.tsx';
import { ClassroomView } from './ClassroomView.tsx';
import { LecturerView } from './LecturerView.tsx';
import { ObserverView } from './ObserverView.tsx';
import { StudentView } from './StudentView.tsx';

/** Picks the view for the role the server gave us in the join response. */
export function SessionView() {
  const { t } = useTranslation();
  const role = useSessionState((s) => s.self?.role);
  const fatal = useSessionState((s) => s.fatal);
  const connection = useSessionState((s) => s.connection);

  if (fatal) {
    return (
      <main className="centered" data-testid="fatal-error" data-code={fatal.code}>
        <h1>{t(`errors.${fatal.code}`)}</h1>
        <LeaveButton asLink />
      </main>
    );
  }
  if (!role) {
    return (
      <main className="centered" data-testid="joining">
        <h1>{t('session.joining')}</h1>
        <p className="muted" data-testid="connection-state" data-state={connection}>{t(`connection.${connection}`)}</p>
      </main>
    );
  }
  return (
    <>
      <NoticeBanner />
      <ConnectionBanner />
      <ReceptionBanner />
      <RoleView role={role} />
      <AudioSink />
    </>
  );
}

function RoleView({ role }: { role: Role }) {
  switch (role) {
    case 'lecturer': return <LecturerView />;
    case 'classroom': return <ClassroomView />;
    case 'observer': return <ObserverView />;
    case 'assistant': return <AssistantView />;
    case 'student': return <StudentView />;
  }
}
