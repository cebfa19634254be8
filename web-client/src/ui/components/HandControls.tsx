import { useTranslation } from 'react-i18next';
import { isSpeaking, myHand } from '../../session/selectors.ts';
import { useSession, useSessionState } from '../SessionContext.tsx';

/** Raise / lower hand for a student, a classroom endpoint or an assistant (on the classroom's behalf). */
export function HandControls() {
  const { t } = useTranslation();
  const session = useSession();
  const hands = useSessionState((s) => s.hands);
  const self = useSessionState((s) => s.self);
  const floor = useSessionState((s) => s.floor);
  const joined = useSessionState((s) => s.joined);
  const mine = myHand(hands, self);
  const raised = mine !== undefined || hands.myPosition !== null;
  const forClassroom = self?.role === 'assistant' || self?.role === 'classroom';

  if (isSpeaking(floor, self)) {
    return (
      <div className="hand-controls" data-testid="hand-controls">
        <span className="speaking" role="status">{t('floor.youAreSpeaking')}</span>
        {self && (
          <button type="button" data-testid="step-down-button" onClick={() => void session.revoke(self.id)}>{t('floor.stepDown')}</button>
        )}
      </div>
    );
  }
  // The floor goes to the classroom's endpoint; its assistant just sees that the room is on.
  if (self?.role === 'assistant' && floor.speakers.some((s) => s.classroomId === self.classroomId)) {
    return <div className="hand-controls" data-testid="hand-controls"><span className="speaking" role="status">{t('floor.classroomSpeaking')}</span></div>;
  }
  // An assistant lowers the classroom's entry by id; everyone else's own entry needs no id.
  const lower = () => void session.lowerHand(self?.role === 'assistant' ? mine?.id : undefined);
  const status = hands.myPosition !== null
    ? t('hands.position', { position: hands.myPosition, total: hands.total })
    : forClassroom ? t('hands.classroomRaised') : t('hands.raised');

  return (
    <div className="hand-controls" data-testid="hand-controls">
      {raised ? (
        <>
          <span className="hand-position" role="status" data-testid="hand-position">
            <span aria-hidden="true">✋ </span>{status}
          </span>
          <button type="button" data-testid="lower-hand-button" disabled={!joined} onClick={lower}>
            {t('hands.lower')}
          </button>
        </>
      ) : (
        <button type="button" className="primary raise" data-testid="raise-hand-button" disabled={!joined}
          onClick={() => void session.raiseHand()}>
          <span aria-hidden="true">✋ </span>{self?.role === 'assistant' ? t('hands.raiseForClassroom') : t('hands.raise')}
        </button>
      )}
    </div>
  );
}
