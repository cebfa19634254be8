/** What a run records (RunRecord) and what it reports (LoadTestReport, written as report.json). */
import type { PeerSummary, WorkerTick } from '../cli/workerProtocol.ts';
import type { ServerSample } from '../cli/serverProbe.ts';
import type { LayerKey } from '../rtp/ConsumerMeter.ts';
import type { Summary } from '../stats/percentiles.ts';
import type { HistogramData } from './histogram.ts';
import type { SteadyState } from './steady.ts';

/** Everything the parent process gathered; buildReport turns it into the report. */
export interface RunRecord {
  options: Record<string, unknown>;
  url: string;
  local: boolean;
  startedAt: number;
  rampStartAt: number;
  endedAt: number;
  aborted: string | null;
  /** Client processes: 0 is the publisher (lecturer). */
  ticks: { worker: number; tick: WorkerTick }[];
  server: ServerSample[];
  host: { at: number; cpuPct: number }[];
  peers: PeerSummary[];
  delay: HistogramData[];
  rtt: Record<string, HistogramData>[];
  floor: FloorEvent[];
  /** The churn's quick poll, once closed: students who answered and sites in the result. */
  poll?: { answers: number; sites: number };
  errors: string[];
  /** Number of receiving (non-lecturer) peers planned. */
  planned: number;
  /** Seconds from the first to the last planned join start. */
  rampS: number;
  /** UDP datagrams this machine's kernel dropped for full receive buffers during the run. */
  udpRcvbufErrors: number | null;
}

export interface FloorEvent {
  participantId: string;
  /** hand:raise emitted by the speaker's client. */
  raiseSentAt?: number;
  /** The lecturer's client first showed the entry. */
  lecturerSawAt?: number | undefined;
  /** hand:raise acknowledged to the speaker. */
  raisedAt?: number;
  grantedAt?: number;
  spokeAt?: number;
  producerId?: string;
}

export interface Quantiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  count: number;
}

export interface TimelinePoint {
  /** Seconds since the ramp started. */
  t: number;
  joined: number;
  failed: number;
  rxKbps: Partial<Record<LayerKey, number>>;
  lossPct: number;
  delayP50Ms: number | null;
  delayP95Ms: number | null;
  rttP95Ms: number | null;
  clientCpuMaxPct: number;
  serverWorkerCpuPct: Record<string, number>;
  serverNodeCpuPct: number | null;
  hostCpuPct: number | null;
}

export interface ReceiverRow {
  index: number;
  role: string;
  worker: number;
  participantId: string | null;
  joinMs: number | null;
  firstVideoMs: number | null;
  firstAudioMs: number | null;
  lossPct: number | null;
  jitterMs: number | null;
  kbps: number;
  layerKbps: Partial<Record<LayerKey, number>>;
  /** Its client process saturated: its loss and delay may be the client's own doing. */
  unreliable: boolean;
  /** Its longest silence of a stream mid-run (ms), and the streams that never came back. */
  longestGapMs: number | null;
  unrecovered: string[];
  /** The emulated link's profile (--network), or null on the plain link. */
  network: string | null;
  error: string | null;
}

/** Receivers on one emulated link profile (--network), as they lived it. */
export interface NetworkRow {
  profile: string;
  description: string;
  receivers: number;
  /** RTP loss as the receivers counted it (after any retransmission reached them). */
  lossPct: Summary;
  receiverKbps: Summary;
  /** Streams silent for over a second (mediaGaps.ts): freezes, all receivers of the profile together. */
  freezes: number;
  freezesPerMinute: number | null;
  longestFreezeMs: number | null;
  receiversWithFreezes: number;
  /** What the relays dropped: the random loss (server → receiver, receiver → server) and over the rate cap. */
  relayDownLost: number;
  relayUpLost: number;
  relayQueueDropped: number;
}

export interface ClientRow {
  worker: number;
  peers: number;
  cpuMeanPct: number;
  cpuMaxPct: number;
  loopDelayP99MaxMs: number;
  saturated: boolean;
  saturatedSeconds: number;
  saturatedBy: ('cpu' | 'event loop')[];
}

export interface LoadTestReport {
  version: 1;
  startedAt: string;
  finishedAt: string;
  aborted: string | null;
  target: { url: string; local: boolean };
  options: Record<string, unknown>;
  summary: {
    planned: number;
    attempted: number;
    joined: number;
    failed: number;
    dropped: number;
    joinSuccessRate: number | null;
    joinMs: Summary;
    /** Join start → first RTP of the lecturer's camera / microphone. */
    firstVideoMs: Summary;
    firstAudioMs: Summary;
    receiversWithoutMedia: number;
    /**
     * Outages as receivers lived them (mediaGaps.ts): a stream silent for more than a second
     * mid-run. Any gap fails the run: loss cannot show a receiver that got nothing.
     */
    mediaGaps: {
      receiversWithGaps: number;
      /** Receivers whose media stopped and had not come back by the end. */
      receiversNeverRecovered: number;
      longestMs: number | null;
      /** How long each ended gap lasted: the time to recover. */
      recoverMs: Summary;
      /** Media resets the server asked for (a worker died) and receivers rebuilt. */
      mediaResets: number;
    };
    /** Loss per receiver on the plain link (emulated links have their own rows in `networks`). */
    lossPct: Summary;
    /** Loss over receivers on unsaturated clients only. */
    reliableLossPct: Summary;
    jitterMs: Summary;
    receiverKbps: Summary;
    /** Mean received bitrate per receiver of each layer, over receivers that got it. */
    layerKbps: Partial<Record<LayerKey, number>>;
    /** Publisher send → receiver arrival of stamped packets (both on this machine's clock). */
    delayMs: Quantiles;
    rttMs: Record<string, Quantiles>;
    speakers: { participantId: string; raiseToLecturerMs: number | null; grantToFirstRtpMs: Summary }[];
    /** Raise → the lecturer sees the entry, over the speakers. */
    raiseToLecturerMs: Summary;
    poll: { answers: number; sites: number } | null;
    server: {
      source: string;
      /** `node`: the worker's node, in a multi-node run. */
      workers: { pid: number; node?: string; cpuMeanPct: number; cpuMaxPct: number; rssMaxMb: number }[];
      /** The signaling process; in a multi-node run, summed over the nodes. */
      nodeCpuMeanPct: number | null;
      nodeCpuMaxPct: number | null;
      nodeRssMaxMb: number | null;
      /** Multi-node run: each node's signaling process and all its SFU workers (% of one core). */
      nodes?: { url: string; cpuMeanPct: number | null; cpuMaxPct: number | null; workersCpuMeanPct: number | null }[];
    } | null;
    clients: ClientRow[];
    clientSaturated: boolean;
    hostCpuMaxPct: number | null;
    /** The machine running the load test was flat out: results say more about it than the server. */
    hostSaturated: boolean;
    /** Kernel UDP receive-buffer drops on this machine during the run: loss that happened here, not on the way. */
    udpRcvbufErrors: number | null;
    /** From a few seconds after the last join to the end; null for runs too short to have one. */
    steady: SteadyState | null;
    /** One row per --network profile; empty without --network. */
    networks: NetworkRow[];
  };
  timeline: TimelinePoint[];
  receivers: ReceiverRow[];
  errors: string[];
}
