/** Chat and reactions: the light, many-to-one channels from the sites back to the lecturer. */
import { can, ONLINE_SITE, REACTIONS, type ChatMessage } from '@tongtang/shared';
import { CHAT_HISTORY_LIMIT, classroomOf, fail, own, takeId, type Applied, type ClassState, type CommandOf } from './state.ts';

/** Who may write to whom is roles.ts (a classroom projector does not type to the room, observers only watch). */
export function sendChat(state: ClassState, cmd: CommandOf<'chat.send'>): Applied {
  const { actor, to } = cmd;
  if (to === 'everyone') {
    if (!can(actor.role, 'chat:toEveryone')) fail('FORBIDDEN', `a ${actor.role} cannot post to everyone`);
  } else if (to === 'lecturer') {
    if (!can(actor.role, 'chat:toLecturer')) {
      fail('FORBIDDEN', actor.role === 'lecturer' ? 'the lecturer cannot message itself' : `a ${actor.role} cannot message the lecturer`);
    }
  } else if (to === 'participant') {
    // A private reply: the lecturer answers one person, e.g. a student's private question.
    if (!can(actor.role, 'chat:toParticipant')) fail('FORBIDDEN', 'only the lecturer writes privately to a participant');
    if (!cmd.recipient) fail('BAD_REQUEST', 'name the participant to write to');
    if (cmd.recipient.id === actor.participantId) fail('BAD_REQUEST', 'the lecturer cannot message itself');
  } else {
    fail('BAD_REQUEST', `unknown chat audience ${String(to)}`);
  }
  const text = cmd.text.trim();
  if (!text) fail('BAD_REQUEST', 'the message is empty');

  const { id, nextId } = takeId(state, 'c');
  const message: ChatMessage = {
    id,
    fromId: actor.participantId,
    fromName: actor.displayName,
    fromRole: actor.role,
    to,
    ...(to === 'participant' && cmd.recipient ? { toId: cmd.recipient.id, toName: cmd.recipient.displayName } : {}),
    text,
    sentAt: cmd.now,
  };
  return {
    state: { ...state, chat: [...state.chat, message].slice(-CHAT_HISTORY_LIMIT), nextId },
    effects: [{ type: 'chatPosted', message }],
  };
}

/** Reactions are counted per site so the lecturer sees which room is lost, not who. */
export function sendReaction(state: ClassState, cmd: CommandOf<'reaction.send'>): Applied {
  const { actor, emoji } = cmd;
  if (!can(actor.role, 'reaction:send')) fail('FORBIDDEN', `a ${actor.role} cannot send reactions`);
  let site: string;
  switch (actor.role) {
    case 'student':
      site = ONLINE_SITE;
      break;
    case 'classroom':
    case 'assistant':
      site = classroomOf(actor);
      break;
    default:
      // A role granted reaction:send that counts for no site.
      fail('FORBIDDEN', `a ${actor.role} cannot send reactions`);
  }
  if (!(REACTIONS as readonly string[]).includes(emoji)) fail('BAD_REQUEST', 'unknown reaction');
  const counts = own(state.reactions, site) ?? {};
  return {
    state: { ...state, reactions: { ...state.reactions, [site]: { ...counts, [emoji]: (counts[emoji] ?? 0) + 1 } } },
    effects: [{ type: 'reactionSent', emoji, site, displayName: actor.displayName }],
  };
}
