/**
 * Classroom chatter on top of the media: students reacting, chatting, raising (then lowering)
 * hands and answering the open poll at a steady rate, so signaling work competes with forwarding
 * as in a real lecture.
 * The round trips land in the tick's RTT histogram through the peers' signaling clients.
 */
import { REACTIONS } from '@tongtang/shared';
import type { RtpPeer } from '../rtp/RtpPeer.ts';

const STEP_MS = 100;
const HAND_UP_MS = 3000;

export class Interactions {
  #budget = 0;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #interval: NodeJS.Timeout;
  /** Students who answered, per poll: each answers once, as the server allows. */
  readonly #answered = new Map<string, Set<string>>();

  constructor(
    private readonly perSecond: number,
    private readonly students: () => RtpPeer[],
    private readonly openPoll: () => string | undefined = () => undefined,
  ) {
    this.#interval = setInterval(() => this.#step(), STEP_MS);
  }

  stop(): void {
    clearInterval(this.#interval);
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  #step(): void {
    this.#budget += (this.perSecond * STEP_MS) / 1000;
    const students = this.students();
    while (this.#budget >= 1) {
      this.#budget -= 1;
      const peer = students[Math.floor(Math.random() * students.length)];
      if (peer) this.#act(peer);
    }
  }

  #act(peer: RtpPeer): void {
    const roll = Math.random();
    const ignore = () => {}; // failures are counted by the RTT hook; a load test keeps going
    const pollId = this.openPoll();
    // A student who has not answered the open poll yet answers it first, as students do.
    if (pollId) {
      let answered = this.#answered.get(pollId);
      if (!answered) this.#answered.set(pollId, (answered = new Set()));
      if (!answered.has(peer.id)) {
        answered.add(peer.id);
        peer.client.request('poll:answer', { pollId, choices: [Math.floor(Math.random() * 4)] }).catch(ignore);
        return;
      }
    }
    if (roll < 0.6) {
      const emoji = REACTIONS[Math.floor(Math.random() * REACTIONS.length)]!;
      peer.client.request('reaction:send', { emoji }).catch(ignore);
    } else if (roll < 0.9) {
      peer.client.request('chat:send', { to: 'everyone', text: `question ${Math.floor(Math.random() * 1000)}` }).catch(ignore);
    } else {
      peer.client.request('hand:raise', {}).catch(ignore);
      const t = setTimeout(() => {
        this.#timers.delete(t);
        peer.client.request('hand:lower', {}).catch(ignore);
      }, HAND_UP_MS);
      this.#timers.add(t);
    }
  }
}
