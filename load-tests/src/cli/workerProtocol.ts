/**
 * Messages between the load test's parent and its client processes. Each client process runs
 * up to --peers-per-process peers and reports every second, so one saturated process shows up
 * in the report as a saturated client, not as loss on the server.
 */
import type { StreamGaps } from '../rtp/mediaGaps.ts';
import type { ConsumerSummary, LayerKey } from '../rtp/ConsumerMeter.ts';
import type { HistogramData } from '../report/histogram.ts';

export type PeerRole = 'lecturer' | 'classroom' | 'student';

export interface PeerPlan {
  index: number;
  role: PeerRole;
  token: string;
  /** Seconds after the ramp starts at which this peer starts joining. */
  startAfterS: number;
  /** What it publishes once joined (the lecturer's program, a classroom's room camera). */
  publishes: 'lecturer' | 'classroom' | null;
  /** Which of the run's nodes (WorkerInit.urls) it joins through. */
  node: number;
  preferredLayer?: number;
  /** Will be asked to raise a hand and speak; kept out of the random hand raising. */
  speaker?: boolean;
  /** Network profile (load-tests/src/net/profiles.ts) this peer's media crosses. */
  network?: string;
}

export interface WorkerInit {
  type: 'init';
  workerIndex: number;
  /** The nodes under test; PeerPlan.node indexes into it. */
  urls: string[];
  clipsDir: string;
  peers: PeerPlan[];
  /** Interactions per second this process makes, spread over its students. */
  interactionRate: number;
}

export type ParentMessage =
  | WorkerInit
  | { type: 'start'; rampStartAt: number }
  | { type: 'raise'; peerIndex: number }
  | { type: 'grant'; entryId: string; participantId: string }
  | { type: 'revoke'; participantId: string }
  /** The lecturer opens a quick poll (students answer it as part of the churn), or closes it. */
  | { type: 'poll'; action: 'open' | 'close' }
  | { type: 'stop' };

/** One second of one client process, as deltas since its previous tick. */
export interface WorkerTick {
  at: number;
  /** CPU of this process, % of one core, over the interval. */
  cpuPct: number;
  loopDelayP99Ms: number;
  rssMb: number;
  joined: number;
  joining: number;
  failed: number;
  /** Peers whose signaling connection dropped after joining. */
  dropped: number;
  rxBytes: Partial<Record<LayerKey, number>>;
  expected: number;
  received: number;
  /** Publisher → receiver delay of stamped packets in the interval (ms). */
  delay: HistogramData;
  /** Signaling request round trips in the interval (ms). */
  rtt: HistogramData;
  /** Requests that failed or timed out in the interval. */
  rttErrors: number;
}

export interface PeerSummary {
  index: number;
  role: PeerRole;
  worker: number;
  participantId: string | null;
  joinStartedAt: number | null;
  joinedAt: number | null;
  error: string | null;
  disconnected: string | null;
  consumers: ConsumerSummary[];
  /** Silences per followed stream (mediaGaps.ts): an outage shows here, not as loss. */
  gaps?: StreamGaps[];
  /** Times the server reset this peer's media (worker death) and it rebuilt it. */
  mediaResets?: number;
  /** The emulated link, when the peer had one: its profile and what its relays dropped. */
  network?: { profile: string; upLost: number; downLost: number; downQueueDropped: number };
  errors: string[];
}

export type WorkerMessage =
  | { type: 'booted' }
  | { type: 'ready' }
  | { type: 'tick'; tick: WorkerTick }
  | { type: 'joined'; peerIndex: number; participantId: string; joinStartedAt: number; joinedAt: number }
  | { type: 'joinFailed'; peerIndex: number; error: string }
  /** `sentAt`: when hand:raise was emitted; `at`: when its ack (with the queue) came back. */
  | { type: 'raised'; peerIndex: number; participantId: string; entryId: string; sentAt: number; at: number }
  /** The lecturer's hand queue first showed this participant's entry. */
  | { type: 'handSeen'; participantId: string; at: number }
  | { type: 'pollClosed'; answers: number; sites: number }
  | { type: 'granted'; participantId: string; at: number }
  | { type: 'spoke'; participantId: string; producerId: string; at: number }
  | { type: 'final'; peers: PeerSummary[]; delay: HistogramData; rtt: Record<string, HistogramData> }
  | { type: 'error'; message: string };
