/**
 * A userspace UDP relay that plays one emulated link per client: this kernel has no netem, so delay
 * and jitter (and, where no namespace is at hand, loss and a bandwidth cap) happen here. Each
 * client address gets its own upstream socket (the server sees one distinct peer per client, as
 * with real clients) and its own pair of LinkShapers, so one participant's queue never delays
 * another's. Datagrams leave in order from a FIFO per direction, driven by a single timer.
 */
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import type { LinkSpec } from './profiles.ts';
import { LinkShaper, type ShaperStats } from './shaper.ts';

export interface Endpoint {
  host: string;
  port: number;
}

export interface RelayOptions {
  /** Where clients send to (port 0: any free port). */
  listen: { host: string; port?: number };
  /** The server the relay forwards to. */
  target: Endpoint;
  /** Client → server. */
  up: LinkSpec;
  /** Server → client. */
  down: LinkSpec;
  /** Address the upstream sockets bind to (default: the listen host). */
  upstreamHost?: string;
  /**
   * Random loss hits RTP/RTCP only, not ICE (STUN) or the DTLS handshake: werift, the load test's
   * WebRTC stack, does not always survive handshake loss that browsers ride out.
   */
  lossOnMediaOnly?: boolean;
  /** Injected for tests; Math.random otherwise. */
  random?: () => number;
}

export interface RelayStats {
  clients: number;
  up: ShaperStats;
  down: ShaperStats;
}

/** A FIFO of datagrams waiting for their release time; one timer for the head. */
class Pipe {
  readonly #queue: { at: number; send: () => void }[] = [];
  #timer: NodeJS.Timeout | undefined;

  push(at: number, send: () => void): void {
    if (this.#queue.length === 0 && at <= performance.now()) return send(); // no delay: no timer hop
    this.#queue.push({ at, send });
    if (this.#queue.length === 1) this.#arm();
  }

  #arm(): void {
    const head = this.#queue[0];
    if (!head) return;
    this.#timer = setTimeout(() => this.#drain(), Math.max(0, head.at - performance.now()));
  }

  #drain(): void {
    // Timers fire late, never early by more than their ms rounding: release everything due.
    const now = performance.now() + 0.5;
    while (this.#queue.length > 0 && this.#queue[0]!.at <= now) this.#queue.shift()!.send();
    this.#arm();
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#queue.length = 0;
  }
}

interface Client {
  address: Endpoint;
  upstream: dgram.Socket;
  up: LinkShaper;
  down: LinkShaper;
  upPipe: Pipe;
  downPipe: Pipe;
}

const MAX_CLIENTS = 2000;

/** RFC 7983 demultiplexing: a first byte of 128–191 is RTP or RTCP (SRTP/SRTCP); the rest is STUN, DTLS, TURN. */
export const isRtpOrRtcp = (datagram: Buffer) => datagram.length > 0 && datagram[0]! >= 128 && datagram[0]! <= 191;

export class UdpRelay {
  readonly #clients = new Map<string, Client>();
  readonly #totals = { up: [] as LinkShaper[], down: [] as LinkShaper[] };
  #closed = false;

  private constructor(readonly options: RelayOptions, readonly socket: dgram.Socket) {}

  static async start(options: RelayOptions): Promise<UdpRelay> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(options.listen.port ?? 0, options.listen.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    const relay = new UdpRelay(options, socket);
    socket.on('message', (msg, from) => relay.#fromClient(msg, { host: from.address, port: from.port }));
    socket.on('error', () => undefined); // ICMP unreachable and the like: a lossy link drops, it does not crash
    return relay;
  }

  /** The address clients (or the ICE candidates they are handed) must use. */
  get address(): Endpoint {
    const a = this.socket.address();
    return { host: a.address, port: a.port };
  }

  stats(): RelayStats {
    const sum = (shapers: LinkShaper[]): ShaperStats => shapers.reduce((t, s) => ({
      passed: t.passed + s.stats.passed, lost: t.lost + s.stats.lost, queueDropped: t.queueDropped + s.stats.queueDropped,
    }), { passed: 0, lost: 0, queueDropped: 0 });
    return { clients: this.#clients.size, up: sum(this.#totals.up), down: sum(this.#totals.down) };
  }

  #fromClient(msg: Buffer, from: Endpoint): void {
    if (this.#closed) return;
    const client = this.#client(from);
    if (!client) return;
    const at = client.up.schedule(performance.now(), msg.length, this.#exempt(msg));
    if (at === null) return;
    const { host, port } = this.options.target;
    client.upPipe.push(at, () => client.upstream.send(msg, port, host));
  }

  #exempt(msg: Buffer): boolean {
    return this.options.lossOnMediaOnly === true && !isRtpOrRtcp(msg);
  }

  #client(from: Endpoint): Client | undefined {
    const key = `${from.host}:${from.port}`;
    const known = this.#clients.get(key);
    if (known) return known;
    if (this.#clients.size >= MAX_CLIENTS) return undefined;
    const upstream = dgram.createSocket('udp4');
    const random = this.options.random ?? Math.random;
    const client: Client = {
      address: from, upstream,
      up: new LinkShaper(this.options.up, random), down: new LinkShaper(this.options.down, random),
      upPipe: new Pipe(), downPipe: new Pipe(),
    };
    this.#totals.up.push(client.up);
    this.#totals.down.push(client.down);
    upstream.on('error', () => undefined);
    upstream.on('message', (msg) => {
      if (this.#closed) return;
      const at = client.down.schedule(performance.now(), msg.length, this.#exempt(msg));
      if (at === null) return;
      client.downPipe.push(at, () => this.socket.send(msg, from.port, from.host));
    });
    // Bound before first use so replies always find it; sending before bind completes is queued by node.
    upstream.bind(0, this.options.upstreamHost ?? this.options.listen.host);
    this.#clients.set(key, client);
    return client;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const closing: Promise<void>[] = [];
    for (const c of this.#clients.values()) {
      c.upPipe.close();
      c.downPipe.close();
      closing.push(new Promise((r) => c.upstream.close(() => r())));
    }
    this.#clients.clear();
    closing.push(new Promise((r) => this.socket.close(() => r())));
    await Promise.all(closing);
  }
}
