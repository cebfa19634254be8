/**
 * What lecture code needs from the rest of the deployment, behind one seam: the lecture store,
 * the bus to the other nodes, the directory of live nodes, the media cascade, and the few
 * policies that differ between a node alone (LocalBackplane) and a node among others
 * (RedisBackplane). The mode is chosen once, where the node is composed (main.ts); lecture code
 * never asks which one it runs on.
 *
 * The backplane carries the lecture's shared state `S` and effects `E` without knowing them:
 * the lecture code hands over their schemas, so what comes from another process is parsed.
 */
import type { Router } from 'express';
import type { Server } from 'socket.io';
import type { z } from 'zod';
import type { LectureStore } from '../store/LectureStore.ts';
import type { InterNodeEvents, LectureBus } from './LectureBus.ts';

/** The lecture's own data the backplane carries, with how to check it when it comes back. */
export interface LecturePayloads<S, E> {
  shared: z.ZodType<S>;
  effect: z.ZodType<E>;
}

export interface NodeInfo {
  id: string;
  /** Where clients and other nodes reach this node's HTTP/Socket.IO port. */
  url: string;
  /** Sessions served right now. */
  load: number;
  updatedAt: number;
}

/** The media cascade as the lecture sees it: producers of other nodes, and this node's copies of them. */
export interface Cascade {
  /** Brings a producer that lives on `fromNode` here; UNAVAILABLE where this node cannot. */
  pull(lectureId: string, fromNode: string, producerId: string): Promise<void>;
  /** Closes this node's copy of another node's producer, if it has one. */
  closeImported(lectureId: string, producerId: string): Promise<void>;
  /** Pauses or resumes this node's copy of another node's producer, if it has one. */
  pauseImported(lectureId: string, producerId: string, paused: boolean): Promise<void>;
  /** Another node closed its end of the lecture's pipe to this node: close this end too. */
  closeLink(lectureId: string, remoteNode: string): Promise<void>;
}

/** Repairs this node's lectures from the store; `judgeDeadNodes`: nodes missing from `alive` are dead. */
export type Repair = (alive: ReadonlySet<string>, judgeDeadNodes: boolean) => Promise<void>;

/** A Socket.IO event map, as its own (unexported) EventsMap: any record of listeners. */
export type SocketEvents = Record<string, any>;

export interface Backplane<S, E> {
  readonly nodeId: string;
  readonly store: LectureStore<S>;
  readonly cascade: Cascade;
  /** HTTP routes other nodes call on this one (the cascade's export); none when alone. */
  readonly routes: Router | undefined;
  /** Whether pages may be sent to other nodes (failover, placement): the page's CSP must allow them. */
  readonly spansNodes: boolean;
  /**
   * How long this node keeps a lecture open that nobody here attends any more: `configuredMs`
   * when the lecture lives only here (a lecturer who reloads finds it as it was), none when
   * other nodes keep it (this node frees its media at once).
   */
  idleKeepMs(configuredMs: number): number;
  /** Whether closing a lecture on this node forgets its shared state (nobody else holds it). */
  readonly forgetsClosedLectures: boolean;
  /** Joins the Socket.IO server to the other nodes and returns the bus to them. */
  attach<L extends SocketEvents, M extends SocketEvents, D>(io: Server<L, M, InterNodeEvents, D>): LectureBus<E>;
  /** The live nodes with their load (this one alone when there are no others). */
  alive(): Promise<NodeInfo[]>;
  /** Announces this node (heartbeat); `load` is the number of sessions it serves. */
  register(load: () => number): Promise<void>;
  /** Calls `repair` every few seconds while the store is reachable; returns how to stop. Alone: never. */
  maintain(repair: Repair): () => void;
  /** False while what the node shares with others cannot be reached. */
  healthy(): boolean;
  close(): Promise<void>;
}
