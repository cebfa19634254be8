/**
 * Polls across sites: remote students answer for themselves, each partner classroom's assistant
 * enters its room's counts. Answers are replaced, never added, so resubmitting cannot inflate
 * the results.
 */
import { can, ONLINE_SITE, type PollResults, type PollView } from '@tongtang/shared';
import {
  classroomOf, fail, own, POLL_MAX_OPTIONS, POLL_MIN_OPTIONS, takeId, type Actor, type Applied, type ClassState,
  type CommandOf, type PollState,
} from './state.ts';

export function openPoll(state: ClassState, cmd: CommandOf<'poll.open'>): Applied {
  if (!can(cmd.actor.role, 'poll:control')) fail('FORBIDDEN', 'only the lecturer can open a poll');
  if (state.polls.some((p) => p.state === 'open')) fail('CONFLICT', 'another poll is still open; close it first');
  const question = cmd.question.trim();
  if (!question) fail('BAD_REQUEST', 'the poll needs a question');
  if (cmd.options.length < POLL_MIN_OPTIONS || cmd.options.length > POLL_MAX_OPTIONS) {
    fail('BAD_REQUEST', `a poll has ${POLL_MIN_OPTIONS} to ${POLL_MAX_OPTIONS} options, got ${cmd.options.length}`);
  }
  const options = cmd.options.map((o) => o.trim());
  if (options.some((o) => !o)) fail('BAD_REQUEST', 'poll options cannot be empty');

  const { id, nextId } = takeId(state, 'p');
  const poll: PollState = {
    id,
    question,
    options,
    multiple: cmd.multiple,
    state: 'open',
    openedAt: cmd.now,
    closedAt: null,
    answers: {},
    siteCounts: {},
  };
  return { state: { ...state, polls: [...state.polls, poll], nextId }, effects: [{ type: 'pollChanged', pollId: id }] };
}

export function answerPoll(state: ClassState, cmd: CommandOf<'poll.answer'>): Applied {
  const { actor } = cmd;
  if (!can(actor.role, 'poll:answerSelf')) fail('FORBIDDEN', 'only students answer for themselves; assistants enter their classroom counts');
  const poll = openPollById(state, cmd.pollId);
  const choices = [...new Set(cmd.choices)].sort((a, b) => a - b);
  if (cmd.choices.some((c) => !Number.isInteger(c) || c < 0 || c >= poll.options.length)) {
    fail('BAD_REQUEST', `choices must be option numbers 0..${poll.options.length - 1}`);
  }
  if (poll.multiple) {
    if (choices.length === 0) fail('BAD_REQUEST', 'choose at least one option');
    if (choices.length !== cmd.choices.length) fail('BAD_REQUEST', 'each option can be chosen only once');
  } else if (cmd.choices.length !== 1) {
    fail('BAD_REQUEST', 'this poll takes exactly one choice');
  }
  const updated: PollState = { ...poll, answers: { ...poll.answers, [actor.participantId]: choices } };
  return replacePoll(state, updated);
}

export function answerPollSite(state: ClassState, cmd: CommandOf<'poll.answerSite'>): Applied {
  const { actor } = cmd;
  if (!can(actor.role, 'poll:answerSite')) fail('FORBIDDEN', "only a classroom's assistant enters its counts");
  const site = classroomOf(actor);
  const poll = openPollById(state, cmd.pollId);
  if (cmd.counts.length !== poll.options.length) {
    fail('BAD_REQUEST', `give one count per option (${poll.options.length}), got ${cmd.counts.length}`);
  }
  if (cmd.counts.some((n) => !Number.isInteger(n) || n < 0)) fail('BAD_REQUEST', 'counts must be whole numbers, 0 or more');
  const updated: PollState = { ...poll, siteCounts: { ...poll.siteCounts, [site]: [...cmd.counts] } };
  return replacePoll(state, updated);
}

export function closePoll(state: ClassState, cmd: CommandOf<'poll.close'>): Applied {
  if (!can(cmd.actor.role, 'poll:control')) fail('FORBIDDEN', 'only the lecturer can close a poll');
  const poll = openPollById(state, cmd.pollId);
  return replacePoll(state, { ...poll, state: 'closed', closedAt: cmd.now });
}

/** Tallies: every option over all sites, and per site (ONLINE_SITE for remote students). */
export function pollResults(poll: PollState): PollResults {
  const perOption = poll.options.map(() => 0);
  const perSite: Record<string, number[]> = {};
  const students = Object.values(poll.answers);
  if (students.length > 0) {
    const online = poll.options.map(() => 0);
    for (const choices of students) for (const c of choices) online[c] = (online[c] ?? 0) + 1;
    perSite[ONLINE_SITE] = online;
  }
  for (const [site, counts] of Object.entries(poll.siteCounts)) perSite[site] = [...counts];
  for (const counts of Object.values(perSite)) counts.forEach((n, i) => (perOption[i] = (perOption[i] ?? 0) + n));
  return { perOption, perSite, respondents: students.length + Object.keys(poll.siteCounts).length };
}

export function pollView(state: ClassState, pollId: string, viewer: Actor): PollView {
  const poll = state.polls.find((p) => p.id === pollId);
  if (!poll) fail('NOT_FOUND', `no poll ${pollId}`);
  let mine: number[] | undefined;
  // What the viewer answered: for itself, or its classroom's counts.
  if (can(viewer.role, 'poll:answerSelf')) mine = own(poll.answers, viewer.participantId);
  else if (can(viewer.role, 'poll:answerSite') && viewer.classroomId !== null) mine = own(poll.siteCounts, viewer.classroomId);
  const { id, question, options, multiple, openedAt, closedAt } = poll;
  return {
    id,
    question,
    options: [...options],
    multiple,
    state: poll.state,
    openedAt,
    closedAt,
    results: pollResults(poll),
    mine: mine ? [...mine] : null,
  };
}

/** Every poll of the lecture as one viewer sees it, oldest first. */
export function pollViews(state: ClassState, viewer: Actor): PollView[] {
  return state.polls.map((p) => pollView(state, p.id, viewer));
}

function openPollById(state: ClassState, pollId: string): PollState {
  const poll = state.polls.find((p) => p.id === pollId);
  if (!poll) fail('NOT_FOUND', `no poll ${pollId}`);
  if (poll.state !== 'open') fail('CONFLICT', 'the poll is closed');
  return poll;
}

function replacePoll(state: ClassState, poll: PollState): Applied {
  return {
    state: { ...state, polls: state.polls.map((p) => (p.id === poll.id ? poll : p)) },
    effects: [{ type: 'pollChanged', pollId: poll.id }],
  };
}
