/** What the bench and its two helper processes tell each other over the IPC channel. */
import type { TallySnapshot } from './tally.ts';

export interface SenderSetup {
  clipDir: string;
  /** The ingress PlainTransport (comedia): one socket of ours sends all four streams there. */
  port: number;
  /** One SSRC per simulcast layer, 180p first. */
  videoSsrcs: number[];
  videoPayloadType: number;
  audioSsrc: number;
  audioPayloadType: number;
  /** Video pacing rate in bytes per ms; 0 sends each frame's packets at once. */
  pacingBytesPerMs: number;
}

export interface SenderReady {
  /** The sender's nice value, or why it could not be raised. */
  nice: number | string;
  nominalPps: number;
}

export interface SenderStats {
  /** Epoch ms the counts were read. */
  atMs: number;
  packets: number;
  bytes: number;
  /** Longest wait between two pacing ticks since the previous stats: large = the sender was starved. */
  maxTickGapMs: number;
  /** Most video packets waiting in the pacer since the previous stats. */
  maxPacerQueue: number;
}

export interface ReceiverSetup {
  sockets: number;
  /** Asked-for SO_RCVBUF; the kernel caps it at net.core.rmem_max (and doubles it for bookkeeping). */
  bufferBytes: number;
}

export interface ReceiverReady {
  ports: number[];
  /** What the kernel granted per socket. */
  bufferBytes: number[];
}

/** Counts with the instant (epoch ms) they were read, so a late answer does not skew the window. */
export type ReceiverSnapshot = TallySnapshot & { atMs: number };

/** Parent → child: a request; child → parent: its answer under the same id, or the ready message. */
export interface Request {
  id: number;
  type: 'stats';
}
export type ChildMessage<Ready, Reply> = { type: 'ready'; data: Ready } | { type: 'reply'; id: number; data: Reply };
