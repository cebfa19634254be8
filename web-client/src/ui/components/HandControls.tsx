import { t } from '../../i18n/index.ts';
import { isSpeaking, myHand } from '../../session/selectors.ts';
import { useSession, useSessionState } from '../SessionContext.tsx';

/** Raise / lower hand for a student, a classroom endpoint or an assistant (on the classroom's behalf). */
export function HandControls() {
  const session = useSession();
  const { hands, self, floor, joined } = useSessionState();
  const mine = myHand(hands, self);
  const raised = mine !== undefined || hands.myPosition !== null;

  if (isSpeaking(floor, self)) {
    return <div className="hand-controls" data-testid="hand-controls"><span className="speaking">{t.floor.youAreSpeaking}</span></div>;
  }
  // An assistant lowers the classroom's entry by id; everyone else's own entry needs no id.
  const lower = () => void session.lowerHand(self?.role === 'assistant' ? mine?.id : undefined);

  return (
    <div className="hand-controls" data-testid="hand-controls">
      {raised ? (
        <>
          <span className="hand-position" data-testid="hand-position">
            {hands.myPosition !== null ? t.hands.position(hands.myPosition, hands.total) : t.hands.raised}
          </span>
          <button type="button" data-testid="lower-hand-button" disabled={!joined} onClick={lower}>
            {t.hands.lower}
          </button>
        </>
      ) : (
        <button type="button" className="primary" data-testid="raise-hand-button" disabled={!joined}
          onClick={() => void session.raiseHand()}>
          {self?.role === 'assistant' ? t.hands.raiseForClassroom : t.hands.raise}
        </button>
      )}
    </div>
  );
}
