import { LatestPoll, PollBars } from './PollBars.tsx';

/** The projector shows the latest poll and its live results; the assistant answers for the room. */
export function PollDisplay() {
  return <LatestPoll>{(poll) => <PollBars poll={poll} />}</LatestPoll>;
}
