import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { REACTIONS, type Reaction } from '@tongtang/shared';
import { useSession, useSessionState } from '../SessionContext.tsx';

/** Quick reactions to the lecturer (counted per site). A short "sent" confirms the click. */
export function ReactionBar() {
  const { t } = useTranslation();
  const session = useSession();
  const joined = useSessionState((s) => s.joined);
  const ended = useSessionState((s) => s.lecture?.state === 'ended');
  const [sent, setSent] = useState<Reaction | null>(null);

  useEffect(() => {
    if (!sent) return;
    const timer = setTimeout(() => setSent(null), 1500);
    return () => clearTimeout(timer);
  }, [sent]);

  const send = async (emoji: Reaction) => {
    if (await session.perform(session.activity.sendReaction(emoji))) setSent(emoji);
  };

  if (ended) return null; // the server refuses reactions once the lecture is over
  return (
    <div className="reaction-bar" role="group" aria-label={t('reactions.heading')} data-testid="reaction-bar">
      {REACTIONS.map((emoji, i) => (
        <button key={emoji} type="button" className="reaction" data-testid={`reaction-${i}`} disabled={!joined}
          aria-label={t(`reactions.${emoji}`)} title={t(`reactions.${emoji}`)} onClick={() => void send(emoji)}>
          <span aria-hidden="true">{emoji}</span>
        </button>
      ))}
      <span className="muted small" role="status" data-testid="reaction-sent">{sent ? `${sent} ${t('reactions.sent')}` : ''}</span>
    </div>
  );
}
