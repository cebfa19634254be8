/**
 * One lecture's pipes to other media nodes: one PipeTransport per remote node, on the lecture's
 * origin router, carrying every producer between the two nodes in both directions (a pipe sends
 * what it consumes and receives what it produces). A producer crosses a pipe once per node; each
 * node then fans it out to its own receivers.
 */
import type { types as ms } from 'mediasoup';
import { AppError, MEDIA_SOURCES, type ExportedProducer, type MediaSource, type PipeEndpoint } from '@tongtang/shared';
import { KIND_OF_SOURCE } from './codecs.ts';
import type { SfuConfig } from './config.ts';
import type { LectureRouters, RouterSlot } from './LectureRouters.ts';
import type { MediaLedger } from './MediaLedger.ts';
import { attempt } from './mediaErrors.ts';

export interface PipeContext {
  readonly lectureId: string;
  readonly config: SfuConfig;
  readonly routers: LectureRouters;
  readonly ledger: MediaLedger;
  /** True once the lecture closed: work finishing after that throws its result away. */
  lectureClosed(): boolean;
}

interface Pipe {
  readonly remoteNodeId: string;
  /** Stored before mediasoup answers, so concurrent calls share one transport. */
  readonly opened: Promise<{ transport: ms.PipeTransport; slot: RouterSlot }>;
  /** Set once opened, so close() can close it synchronously (and its imports with it). */
  transport: ms.PipeTransport | undefined;
  closed: boolean;
  /** The endpoint of the first connect: the worker accepts connect() once per transport. */
  remote: PipeEndpoint | undefined;
  connected: Promise<void> | undefined;
  /** Pipe consumers carrying local producers to the remote node, by producer id. */
  readonly exports: Map<string, Promise<ms.Consumer>>;
  /** Producers re-created here from the remote node, by producer id. */
  readonly imports: Map<string, Promise<void>>;
}

export class LecturePipes {
  readonly #ctx: PipeContext;
  readonly #pipes = new Map<string, Pipe>();

  constructor(ctx: PipeContext) {
    this.#ctx = ctx;
  }

  /** This node's end of the pipe to `remoteNodeId`, created on first use. */
  async open(remoteNodeId: string): Promise<PipeEndpoint> {
    checkId(remoteNodeId, 'remoteNodeId');
    let pipe = this.#pipes.get(remoteNodeId);
    if (!pipe) {
      const created: Pipe = {
        remoteNodeId, transport: undefined, closed: false, remote: undefined, connected: undefined,
        exports: new Map(), imports: new Map(),
        opened: this.#openTransport(remoteNodeId, () => created),
      };
      // A failed open is forgotten, so the next call tries again (e.g. on a re-elected origin).
      created.opened.catch(() => {
        if (this.#pipes.get(remoteNodeId) === created) this.#pipes.delete(remoteNodeId);
      });
      this.#pipes.set(remoteNodeId, created);
      pipe = created;
    }
    const { transport } = await pipe.opened;
    return { ip: transport.tuple.localIp, port: transport.tuple.localPort };
  }

  /** Points the pipe at the remote end; the same endpoint again is a no-op, another one a CONFLICT. */
  async connect(remoteNodeId: string, remote: PipeEndpoint): Promise<void> {
    const endpoint = checkEndpoint(remote);
    const pipe = this.#pipe(remoteNodeId);
    if (pipe.remote) {
      if (pipe.remote.ip !== endpoint.ip || pipe.remote.port !== endpoint.port) {
        throw new AppError('CONFLICT', `pipe to ${remoteNodeId} already points at ${pipe.remote.ip}:${pipe.remote.port}`);
      }
      return pipe.connected;
    }
    pipe.remote = endpoint;
    const connecting = pipe.opened.then(({ transport }) => attempt('connect pipe', () => transport.connect(endpoint)));
    pipe.connected = connecting;
    // The transport stays unconnected after a failure: let the next call try again.
    connecting.catch(() => {
      if (pipe.connected !== connecting) return;
      pipe.remote = undefined;
      pipe.connected = undefined;
    });
    return connecting;
  }

  /** Starts sending a local producer down the pipe; once per producer, later calls describe the same stream. */
  async export(remoteNodeId: string, producerId: string): Promise<ExportedProducer> {
    const pipe = this.#pipe(remoteNodeId);
    const entry = this.#ctx.ledger.producer(producerId);
    const consumer = await shared(pipe.exports, producerId, () => this.#export(pipe, entry.producer, entry.slot));
    // The producer's own flag: the pipe consumer learns of a pause only from a later worker notification.
    const paused = entry.producer.paused;
    return { producerId, kind: consumer.kind, source: entry.source, rtpParameters: consumer.rtpParameters, paused };
  }

  /** Re-creates a remote producer here under its own id, where consume() finds it like a local one. */
  async import(remoteNodeId: string, exported: ExportedProducer): Promise<void> {
    const valid = checkExported(exported);
    const pipe = this.#pipe(remoteNodeId);
    const { producerId } = valid;
    if (!pipe.imports.has(producerId) && this.#ctx.ledger.producers.has(producerId)) {
      throw new AppError('CONFLICT', `producer ${producerId} already exists here, not imported from ${remoteNodeId}`);
    }
    return shared(pipe.imports, producerId, () => this.#import(pipe, valid));
  }

  /** Closes the pipe, and with it every producer imported through it (their consumers close too). Safe twice. */
  close(remoteNodeId: string): void {
    const pipe = this.#pipes.get(remoteNodeId);
    if (!pipe) return;
    this.#pipes.delete(remoteNodeId);
    pipe.closed = true;
    pipe.transport?.close(); // one still opening is closed by #openTransport once it exists
  }

  closeAll(): void {
    for (const remoteNodeId of [...this.#pipes.keys()]) this.close(remoteNodeId);
  }

  /** `self` is the pipe being opened; it exists once this first awaits. */
  async #openTransport(remoteNodeId: string, self: () => Pipe): Promise<{ transport: ms.PipeTransport; slot: RouterSlot }> {
    const slot = await this.#ctx.routers.origin();
    const pipe = self();
    const { listenIp: ip, announcedIp } = this.#ctx.config;
    const transport = await attempt('open pipe', () =>
      slot.router.createPipeTransport({
        listenIp: { ip, ...(announcedIp ? { announcedIp } : {}) },
        // Every node runs this code, so both ends have it: a packet lost between campuses is
        // resent from the sender's buffer instead of glitching at every receiver behind the pipe.
        enableRtx: true,
        appData: { lectureId: this.#ctx.lectureId, remoteNodeId },
      }),
    );
    if (pipe.closed || this.#ctx.lectureClosed()) {
      transport.close();
      throw new AppError('NOT_FOUND', `pipe to ${pipe.remoteNodeId} closed while opening`);
    }
    pipe.transport = transport;
    // The router can close under us (its worker died): forget the pipe so the next open makes a fresh one.
    transport.observer.once('close', () => {
      pipe.closed = true;
      if (this.#pipes.get(pipe.remoteNodeId) === pipe) this.#pipes.delete(pipe.remoteNodeId);
    });
    return { transport, slot };
  }

  async #export(pipe: Pipe, producer: ms.Producer, from: RouterSlot): Promise<ms.Consumer> {
    const { transport, slot } = await pipe.opened;
    // Producers and pipes both live on the origin, unless it was re-elected in between (worker death).
    if (from !== slot) await this.#ctx.routers.pipe(producer.id, from, slot);
    const consumer = await attempt('export producer', () =>
      transport.consume({ producerId: producer.id, appData: { remoteNodeId: pipe.remoteNodeId } }),
    );
    if (consumer.closed) throw new AppError('NOT_FOUND', `producer ${producer.id} closed while exporting`);
    // It closes with its producer or the pipe; the next export must then make a new one.
    consumer.observer.once('close', () => pipe.exports.delete(producer.id));
    return consumer;
  }

  async #import(pipe: Pipe, exported: ValidExport): Promise<void> {
    const { transport, slot } = await pipe.opened;
    const { producerId: id, kind, source, paused } = exported;
    const producer = await attempt('import producer', () =>
      transport.produce({
        id,
        kind,
        rtpParameters: exported.rtpParameters as ms.RtpParameters,
        paused,
        appData: { source, imported: true, remoteNodeId: pipe.remoteNodeId },
      }),
    );
    if (pipe.closed || producer.closed || this.#ctx.lectureClosed()) {
      producer.close();
      throw new AppError('NOT_FOUND', `pipe to ${pipe.remoteNodeId} closed while importing ${id}`);
    }
    const { ledger } = this.#ctx;
    ledger.producers.set(id, { peerId: '', source, producer, transportId: transport.id, slot, importedFrom: pipe.remoteNodeId });
    // No producerClosed event when it goes: the producer lives on at its origin, whose
    // signaling announces its end. Only this node's copy is gone (and can be imported again).
    producer.observer.once('close', () => {
      pipe.imports.delete(id);
      if (ledger.producers.get(id)?.producer === producer) ledger.forgetProducer(id);
    });
  }

  #pipe(remoteNodeId: string): Pipe {
    const pipe = this.#pipes.get(remoteNodeId);
    if (!pipe) throw new AppError('NOT_FOUND', `lecture ${this.#ctx.lectureId} has no pipe to ${remoteNodeId}; open it first`);
    return pipe;
  }
}

/**
 * The work stored under `key`, started if absent. The entry goes when the work fails, or when what
 * it made closes (the caller's close handler): no second entry can start before that.
 */
function shared<T>(map: Map<string, Promise<T>>, key: string, start: () => Promise<T>): Promise<T> {
  const known = map.get(key);
  if (known) return known;
  const pending = start();
  map.set(key, pending);
  pending.catch(() => {
    if (map.get(key) === pending) map.delete(key);
  });
  return pending;
}

type ValidExport = ExportedProducer & { source: MediaSource };

// What arrives from another node crossed the network: check it like any client payload.

function checkId(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 128) throw new AppError('BAD_REQUEST', `${what} must be a string of 1-128 characters`);
  return value;
}

function checkEndpoint(value: unknown): PipeEndpoint {
  const { ip, port } = (typeof value === 'object' && value !== null ? value : {}) as Partial<PipeEndpoint>;
  if (typeof ip !== 'string' || ip.length === 0 || ip.length > 64 || !Number.isInteger(port) || port! < 1 || port! > 65535) {
    throw new AppError('BAD_REQUEST', 'a pipe endpoint needs an ip and a port in 1-65535');
  }
  return { ip, port: port! };
}

function checkExported(value: ExportedProducer): ValidExport {
  const x = (typeof value === 'object' && value !== null ? value : {}) as Partial<ExportedProducer>;
  checkId(x.producerId, 'producerId');
  const source = x.source as MediaSource;
  if (!MEDIA_SOURCES.includes(source) || KIND_OF_SOURCE[source] !== x.kind) {
    throw new AppError('BAD_REQUEST', `an exported ${String(x.source)} cannot be of kind ${String(x.kind)}`);
  }
  if (typeof x.paused !== 'boolean' || typeof x.rtpParameters !== 'object' || x.rtpParameters === null) {
    throw new AppError('BAD_REQUEST', 'an exported producer needs rtpParameters and paused');
  }
  return x as ValidExport;
}
