import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '@tongtang/shared';
import { can } from '@tongtang/shared';
import { useActivity, useSession, useSessionState } from '../SessionContext.tsx';

type PublicAudience = 'everyone' | 'lecturer';
interface ReplyTarget { id: string; name: string }

/**
 * Chat for everyone, plus private messages to the lecturer and the lecturer's private replies
 * (marked as such on both ends). Which audiences the form offers follows the role's
 * permissions; observers only read.
 */
export function ChatPanel() {
  const { t, i18n } = useTranslation();
  const messages = useActivity((a) => a.chat);
  const self = useSessionState((s) => s.self);
  const [replyTo, setReplyTo] = useState<ReplyTarget | null>(null);
  const log = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight; // newest at the bottom, in view
  }, [messages]);

  return (
    <section className="chat" data-testid="chat-panel" aria-label={t('chat.heading')}>
      {/* role=log announces new messages politely; tabIndex lets keyboard users scroll it. */}
      <div ref={log} className="chat-log" role="log" aria-label={t('chat.heading')} tabIndex={0}>
        {messages.length === 0 && <p className="muted">{t('chat.empty')}</p>}
        <ol className="chat-list">
        {messages.map((m) => (
          <li key={m.id} className={m.to !== 'everyone' ? 'chat-message private' : 'chat-message'} data-testid={`chat-message-${m.id}`}
            data-private={m.to !== 'everyone'}>
            <div className="chat-meta">
              <strong>{m.fromName}</strong>
              <span className="muted small"> · {t(`roles.${m.fromRole}`)} · <time dateTime={new Date(m.sentAt).toISOString()}>{clock(m.sentAt, i18n.language)}</time></span>
              {m.to !== 'everyone' && <span className="badge badge-private">{privateLabel(m, self?.id, t)}</span>}
            </div>
            <p className="chat-text">{m.text}</p>
            {self && can(self.role, 'chat:toParticipant') && m.to === 'lecturer' && (
              <button type="button" className="small-button" aria-label={t('chat.replyTo', { name: m.fromName })}
                onClick={() => setReplyTo({ id: m.fromId, name: m.fromName })}>
                {t('chat.reply')}
              </button>
            )}
          </li>
        ))}
        </ol>
      </div>
      <ChatForm replyTo={replyTo} onReplyDone={() => setReplyTo(null)} />
    </section>
  );
}

/** "Private"; on the lecturer's side a reply also says to whom. */
function privateLabel(m: ChatMessage, selfId: string | undefined, t: ReturnType<typeof useTranslation>['t']): string {
  return m.to === 'participant' && m.toId !== selfId && m.toName ? t('chat.privateTo', { name: m.toName }) : t('chat.private');
}

function ChatForm({ replyTo, onReplyDone }: { replyTo: ReplyTarget | null; onReplyDone: () => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const role = useSessionState((s) => s.self?.role);
  const joined = useSessionState((s) => s.joined);
  const audiences: PublicAudience[] = [];
  if (role && can(role, 'chat:toEveryone')) audiences.push('everyone');
  if (role && can(role, 'chat:toLecturer')) audiences.push('lecturer');
  const [to, setTo] = useState<PublicAudience | null>(null);
  const [text, setText] = useState('');
  const inputId = useId();
  const audienceId = useId();
  const target = to !== null && audiences.includes(to) ? to : audiences[0];

  if (!target) return <p className="muted">{t('chat.readOnly')}</p>;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const message = text.trim();
    if (!message) return;
    const sent = replyTo
      ? session.activity.sendChat('participant', message, replyTo.id)
      : session.activity.sendChat(target, message);
    if (await session.perform(sent)) {
      setText('');
      onReplyDone();
    }
  };

  return (
    <form className="chat-form" onSubmit={(e) => void submit(e)}>
      {replyTo && (
        <p className="reply-to" role="status">
          <span className="badge badge-private">{t('chat.replying', { name: replyTo.name })}</span>{' '}
          <button type="button" className="small-button" onClick={onReplyDone}>{t('chat.cancelReply')}</button>
        </p>
      )}
      {!replyTo && audiences.length > 1 && (
        <div className="field inline">
          <label htmlFor={audienceId}>{t('chat.audience')}</label>
          <select id={audienceId} data-testid="chat-audience" value={target} onChange={(e) => setTo(e.target.value as PublicAudience)}>
            {audiences.map((a) => <option key={a} value={a}>{t(`chat.${a}`)}</option>)}
          </select>
        </div>
      )}
      <div className="row">
        <label htmlFor={inputId} className="visually-hidden">{t('chat.messageLabel')}</label>
        <input id={inputId} data-testid="chat-input" value={text} maxLength={500} autoComplete="off"
          placeholder={t('chat.placeholder')} onChange={(e) => setText(e.target.value)} />
        <button type="submit" className="primary" data-testid="chat-send" disabled={!joined || !text.trim()}>{t('chat.send')}</button>
      </div>
    </form>
  );
}

function clock(at: number, language: string): string {
  return new Date(at).toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}
