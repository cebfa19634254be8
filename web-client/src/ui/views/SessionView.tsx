import type { Role } from '../../../../shared/src/roles.ts';
import { t } from '../../i18n/index.ts';
import { AudioSink } from '../components/AudioSink.tsx';
import { NoticeBanner } from '../components/Notices.tsx';
import { useSessionState } from '../SessionContext.tsx';
import { ClassroomView } from './ClassroomView.tsx';
import { LecturerView } from './LecturerView.tsx';
import { ObserverView } from './ObserverView.tsx';
import { StudentView } from './StudentView.tsx';

/** Picks the view for the role the server gave us in the join response. */
export function SessionView() {
  const { self, fatal, connection } = useSessionState();

  if (fatal) {
    return (
      <div className="centered" data-testid="fatal-error" data-code={fatal.code}>
        <h2>{t.errors[fatal.code]}</h2>
        <a href="/">{t.session.leaveAgain}</a>
      </div>
    );
  }
  if (!self) {
    return (
      <div className="centered" data-testid="joining">
        <p>{t.session.joining}</p>
        <p className="muted" data-testid="connection-state" data-state={connection}>{t.connection[connection]}</p>
      </div>
    );
  }
  return (
    <>
      <NoticeBanner />
      <RoleView role={self.role} />
      <AudioSink />
    </>
  );
}

function RoleView({ role }: { role: Role }) {
  switch (role) {
    case 'lecturer': return <LecturerView />;
    case 'classroom': return <ClassroomView />;
    case 'observer': return <ObserverView />;
    case 'assistant':
    case 'student': return <StudentView />;
  }
}
