/**
 * The lecture's light channels — chat, reactions and polls — as the page sees them. Kept apart
 * from LectureSession so that a chat message does not re-render the video wall, and so that each
 * channel's merge rules (dedupe by id, replace a poll by id) live in one place.
 */
import { createStore, type StoreApi } from 'zustand';
import type { ChatAudience, ChatMessage, PollView, Reaction, ReactionCounts } from '@tongtang/shared';
import type { JoinResponse, RequestOf } from '@tongtang/shared';
import type { SignalClient } from '../signal/SignalClient.ts';

/** One reaction as the lecturer's feed shows it for a few seconds. */
export interface RecentReaction {
  key: number;
  emoji: Reaction;
  site: string;
  displayName: string;
  at: number;
}

export interface ActivitySnapshot {
  chat: readonly ChatMessage[];
  polls: readonly PollView[];
  reactions: ReactionCounts;
  recentReactions: readonly RecentReaction[];
}

const CHAT_KEEP = 200;
const RECENT_KEEP = 12;
const EMPTY: ActivitySnapshot = { chat: [], polls: [], reactions: {}, recentReactions: [] };

export class Activity {
  readonly store: StoreApi<ActivitySnapshot> = createStore<ActivitySnapshot>()(() => EMPTY);
  readonly #signal: SignalClient;
  #reactionKey = 0;

  constructor(signal: SignalClient) {
    this.#signal = signal;
    signal.on('chat:posted', (message) => this.#addChat(message));
    signal.on('poll:updated', (poll) => this.#putPoll(poll));
    signal.on('reaction:sent', ({ emoji, site, displayName, counts }) => {
      const recent: RecentReaction = { key: ++this.#reactionKey, emoji, site, displayName, at: Date.now() };
      this.store.setState((s) => ({ reactions: counts, recentReactions: [...s.recentReactions, recent].slice(-RECENT_KEEP) }));
    });
  }

  /** A (re)join brings the server's view; what was shown before may be stale. */
  reset(join: JoinResponse): void {
    this.store.setState({ chat: join.chat, polls: join.polls, reactions: join.reactions, recentReactions: [] });
  }

  /** `participantId`: the recipient of the lecturer's private reply (to: 'participant'). */
  async sendChat(to: ChatAudience, text: string, participantId?: string): Promise<void> {
    this.#addChat(await this.#signal.request('chat:send', participantId ? { to, text, participantId } : { to, text }));
  }

  async sendReaction(emoji: Reaction): Promise<void> {
    const reactions = await this.#signal.request('reaction:send', { emoji });
    this.store.setState({ reactions });
  }

  async openPoll(poll: RequestOf<'poll:open'>): Promise<void> {
    this.#putPoll(await this.#signal.request('poll:open', poll));
  }

  async closePoll(pollId: string): Promise<void> {
    this.#putPoll(await this.#signal.request('poll:close', { pollId }));
  }

  async answerPoll(pollId: string, choices: number[]): Promise<void> {
    this.#putPoll(await this.#signal.request('poll:answer', { pollId, choices }));
  }

  async answerPollForSite(pollId: string, counts: number[]): Promise<void> {
    this.#putPoll(await this.#signal.request('poll:answerSite', { pollId, counts }));
  }

  #addChat(message: ChatMessage): void {
    // The sender gets its message twice: in the acknowledgement and in the broadcast.
    this.store.setState((s) => (s.chat.some((m) => m.id === message.id)
      ? s
      : { chat: [...s.chat, message].slice(-CHAT_KEEP) }));
  }

  #putPoll(poll: PollView): void {
    this.store.setState((s) => {
      const known = s.polls.some((p) => p.id === poll.id);
      return { polls: known ? s.polls.map((p) => (p.id === poll.id ? poll : p)) : [...s.polls, poll] };
    });
  }
}
