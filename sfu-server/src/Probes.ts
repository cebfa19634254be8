/**
 * Pre-join connectivity probes: a throwaway WebRTC transport on the same WebRtcServer ports the
 * lecture uses, so a page can find out before joining whether media reaches this server and over
 * which path (UDP, or TCP when a campus firewall blocks UDP). A probe carries no media: the page
 * opens a data channel, which is enough for ICE and DTLS to complete. Probes need no join token,
 * so they are few, short-lived and on one small router.
 */
import type { types as ms } from 'mediasoup';
import { AppError, type ProbeOptions } from '@tongtang/shared';
import { MEDIA_CODECS } from './codecs.ts';
import type { SfuLogger } from './logger.ts';
import { attempt } from './mediaErrors.ts';
import type { WorkerPool } from './WorkerPool.ts';

export const PROBE_TTL_MS = 20_000;
export const MAX_PROBES = 50;

export class Probes {
  readonly #probes = new Map<string, { transport: ms.WebRtcTransport; timer: NodeJS.Timeout; connected: boolean }>();
  #router: Promise<{ router: ms.Router; webRtcServer: ms.WebRtcServer }> | undefined;
  /** Probes being created: they count against the cap before mediasoup answers. */
  #starting = 0;

  constructor(
    private readonly pool: WorkerPool,
    private readonly log: SfuLogger,
  ) {}

  async create(): Promise<ProbeOptions> {
    if (this.#probes.size + this.#starting >= MAX_PROBES) throw new AppError('RATE_LIMITED', 'too many connection checks at once; try again in a few seconds');
    this.#starting += 1;
    let transport: ms.WebRtcTransport;
    let router: ms.Router;
    try {
      const ready = await this.#ensureRouter();
      router = ready.router;
      transport = await attempt('create probe transport', () =>
        ready.router.createWebRtcTransport({
          webRtcServer: ready.webRtcServer, enableUdp: true, enableTcp: true, preferUdp: true,
          enableSctp: true, numSctpStreams: { OS: 1, MIS: 1 }, appData: { probe: true },
        }),
      );
    } finally {
      this.#starting -= 1;
    }
    const timer = setTimeout(() => this.#close(transport.id), PROBE_TTL_MS);
    timer.unref();
    this.#probes.set(transport.id, { transport, timer, connected: false });
    transport.observer.once('close', () => this.#forget(transport.id));
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
      sctpParameters: transport.sctpParameters,
      routerRtpCapabilities: router.rtpCapabilities,
      ttlMs: PROBE_TTL_MS,
    };
  }

  async connect(probeId: string, dtlsParameters: unknown): Promise<void> {
    const probe = this.#probes.get(probeId);
    if (!probe) throw new AppError('NOT_FOUND', 'no such connection check (it may have expired)');
    if (probe.connected) throw new AppError('CONFLICT', 'this connection check is already connected');
    probe.connected = true;
    await attempt('connect probe transport', () => probe.transport.connect({ dtlsParameters: dtlsParameters as ms.DtlsParameters }))
      .catch((err: unknown) => {
        probe.connected = false;
        throw err;
      });
  }

  close(): void {
    for (const id of [...this.#probes.keys()]) this.#close(id);
    void this.#router?.then(({ router }) => router.close(), () => {});
    this.#router = undefined;
  }

  /** One router for all probes, re-created if its worker died. */
  #ensureRouter(): Promise<{ router: ms.Router; webRtcServer: ms.WebRtcServer }> {
    if (!this.#router) {
      const pooled = this.pool.pick();
      const pending = attempt('create probe router', () => pooled.worker.createRouter({ mediaCodecs: MEDIA_CODECS }))
        .then((router) => {
          router.observer.once('close', () => {
            if (this.#router === pending) this.#router = undefined;
          });
          return { router, webRtcServer: pooled.webRtcServer };
        });
      pending.catch(() => {
        if (this.#router === pending) this.#router = undefined;
      });
      this.#router = pending;
    }
    return this.#router;
  }

  #close(id: string): void {
    const probe = this.#probes.get(id);
    if (!probe) return;
    this.#forget(id);
    probe.transport.close();
    this.log.debug({ probeId: id }, 'connection check closed');
  }

  #forget(id: string): void {
    const probe = this.#probes.get(id);
    if (!probe) return;
    clearTimeout(probe.timer);
    this.#probes.delete(id);
  }
}
