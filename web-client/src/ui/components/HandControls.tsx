import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { myHand } from '../../session/selectors.ts';
import { useFloorTurn } from '../hooks/useFloorTurn.ts';
import { useSession, useSessionState } from '../SessionContext.tsx';
import { SpeakerControls } from './SpeakerControls.tsx';

/**
 * Raise / lower hand for a student, a classroom endpoint or an assistant (on the classroom's
 * behalf); a student's own floor controls while speaking, and why the last turn ended.
 */
export function HandControls() {
  const { t } = useTranslation();
  const session = useSession();
  const hands = useSessionState((s) => s.hands);
  const self = useSessionState((s) => s.self);
  const floor = useSessionState((s) => s.floor);
  const joined = useSessionState((s) => s.joined);
  const lectureState = useSessionState((s) => s.lecture?.state);
  const mine = myHand(hands, self);
  const raised = mine !== undefined || hands.myPosition !== null;
  const forClassroom = self?.role === 'assistant' || self?.role === 'classroom';

  const me = floor.speakers.find((s) => s.participantId === self?.id);
  const turn = useFloorTurn(me !== undefined, lectureState === 'ended');
  // "Camera too?" is asked once per turn; a turn is known by when it started.
  const [answeredTurn, setAnsweredTurn] = useState<number | null>(null);
  const stepDown = () => {
    if (!self) return;
    turn.markSteppingDown();
    void session.revoke(self.id);
  };

  if (me && self?.role === 'student') {
    return <SpeakerControls me={me} answered={answeredTurn === me.since} onAnswer={() => setAnsweredTurn(me.since)} onStepDown={stepDown} />;
  }
  if (me) {
    return (
      <div className="hand-controls" data-testid="hand-controls">
        <span className="speaking" role="status">{t('floor.youAreSpeaking')}</span>
        <button type="button" data-testid="step-down-button" onClick={stepDown}>{t('floor.stepDown')}</button>
      </div>
    );
  }
  const turnEnded = turn.ended && (
    <p className="turn-ended" role="status" data-testid="turn-ended" data-reason={turn.ended}>
      {t(`floor.turnEnded.${turn.ended}`)}{' '}
      <button type="button" className="small-button" onClick={turn.dismiss}>{t('session.dismiss')}</button>
    </p>
  );
  if (lectureState === 'ended') {
    return <div className="hand-controls" data-testid="hand-controls">{turnEnded}<span role="status">{t('lecture.endedShort')}</span></div>;
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
      {turnEnded}
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
