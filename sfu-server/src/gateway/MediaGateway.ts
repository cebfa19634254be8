/**
 * The media gateway of one node: partner classrooms' hardware (an encoder pushing RTMP, an IP
 * camera served over RTSP, a WHIP client such as OBS) brought in as the classroom's room camera
 * and microphone. One source per classroom slot (lecture + peerId): opening any source replaces
 * the slot's previous one, whatever its kind. RTMP keys are random, per classroom and lecture,
 * and revoked by closing the ingest (ffmpeg's RTMP server refuses any other stream name).
 *
 * WHIP (RFC 9725), for the HTTP layer in front of it:
 *   whip(lectureId, peerId, offerSdp) -> { answerSdp, resourceId, videoProducerId, audioProducerId? }
 *     POST's body in, 201's body out. The answer carries every server candidate and
 *     end-of-candidates: no trickle needed (PATCH can answer 405). A bad offer is
 *     AppError('BAD_REQUEST') saying why, and leaves the slot's running source alone; a lecture
 *     not started on this node is NOT_FOUND; a publish racing another for the slot is CONFLICT.
 *   closeWhip(lectureId, peerId, resourceId) -> boolean
 *     DELETE on the resource; false when that resource is not the slot's current source (already
 *     ended, or replaced by a newer publish, which a stale DELETE must not end).
 *   setMicrophone / health / close(lectureId, peerId) work for every kind of source.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { AppError, checkCameraUrl, type WhipAnswer } from '@tongtang/shared';
import { DEFAULT_SFU_CONFIG } from '../config.ts';
import { lectureMediaOf, type MediasoupNode } from '../MediasoupNode.ts';
import { RTMP_APP, type EncodeOptions } from './ffmpegArgs.ts';
import { Ingest, type IngestHealth, type IngestOptions } from './Ingest.ts';
import { LOOPBACK } from './plainProducer.ts';
import { readOffer } from './whip/offer.ts';
import { WhipIngest } from './whip/WhipIngest.ts';

/** Where the encoder pushes, and the ingest that listens there. */
export interface RtmpEndpoint { url: string; key: string; port: number; ingest: Ingest }

/** The answer, the resource to DELETE (closeWhip), and the producers (audio absent without audio; paused until setMicrophone(true)). */
export type WhipPublish = WhipAnswer;

export interface GatewayOptions {
  /** Host put in the RTMP URL an encoder is given (loopback in tests; the campus-facing address in production). */
  rtmpHost?: string;
  /** Where the RTMP listeners bind (127.0.0.1 unless told, e.g. 0.0.0.0 for classroom encoders). */
  rtmpBindHost?: string;
  /** The ports RTMP listeners take, first free one first; any free port when absent. */
  rtmpPorts?: { first: number; last: number } | null;
  encode?: EncodeOptions;
  /** What one WHIP client may send (bps); the SFU's per-client cap unless told. */
  whipMaxIncomingBitrate?: number;
  onHealth?: (lectureId: string, peerId: string, health: IngestHealth) => void;
}

function slotKey(lectureId: string, peerId: string): string {
  return `${lectureId}\n${peerId}`;
}

/** Binds and releases `port` (0: any) on `host`: the port it got, or null when it is taken. */
async function tryPort(host: string, port: number): Promise<number | null> {
  const server = net.createServer();
  const bound = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, host, () => resolve(true));
  });
  if (!bound) return null;
  const got = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return got;
}

export class MediaGateway {
  readonly #node: MediasoupNode;
  readonly #opts: GatewayOptions;
  /** Pending while a source starts, so a burst of requests for one classroom starts one. */
  readonly #ingests = new Map<string, Ingest | WhipIngest | 'starting'>();
  /** slot → the RTMP port its listener holds (configured range only). */
  readonly #rtmpPorts = new Map<string, number>();

  constructor(node: MediasoupNode, opts: GatewayOptions = {}) {
    this.#node = node;
    this.#opts = opts;
  }

  /** A fresh RTMP endpoint for the classroom; any previous one (and its key) is revoked. */
  async openRtmp(lectureId: string, peerId: string): Promise<RtmpEndpoint> {
    const key = randomBytes(18).toString('base64url');
    const slot = this.#claim(lectureId, peerId); // its previous listener (and port) are released
    let port: number;
    try {
      port = await this.#rtmpPort(slot);
    } catch (err) {
      if (this.#ingests.get(slot) === 'starting') this.#ingests.delete(slot);
      throw err;
    }
    const ingest = await this.#startIngest(lectureId, peerId, { kind: 'rtmp', port, key, ...(this.#opts.rtmpBindHost ? { bindHost: this.#opts.rtmpBindHost } : {}) }, slot);
    const host = this.#opts.rtmpHost ?? LOOPBACK;
    return { url: `rtmp://${host}:${port}/${RTMP_APP}`, key, port, ingest };
  }

  /** Pulls the classroom's camera (TCP interleaved unless told otherwise), reconnecting with back-off. */
  async pullRtsp(lectureId: string, peerId: string, url: string, transport: 'tcp' | 'udp' = 'tcp'): Promise<Ingest> {
    checkCameraUrl(url);
    return this.#startIngest(lectureId, peerId, { kind: 'rtsp', url, transport });
  }

  /** Tests and benches: a local file looped as if it were the classroom's camera. */
  async playFile(lectureId: string, peerId: string, path: string): Promise<Ingest> {
    return this.#startIngest(lectureId, peerId, { kind: 'file', path });
  }

  /** Takes a WHIP client's offer as the classroom's source (see the top of this file). */
  async whip(lectureId: string, peerId: string, offerSdp: string): Promise<WhipPublish> {
    const media = lectureMediaOf(this.#node, lectureId);
    if (!media || media.closed) throw new AppError('NOT_FOUND', `lecture ${lectureId} has no media on this node`);
    // Read before the slot is touched: a bad offer must not end the classroom's running source.
    const offer = readOffer(offerSdp, await media.rtpCapabilities());
    const { onHealth, whipMaxIncomingBitrate } = this.#opts;
    const key = slotKey(lectureId, peerId);
    const whip = await this.#start(lectureId, peerId, () => WhipIngest.start(this.#node, {
      lectureId, peerId, offer,
      maxIncomingBitrate: whipMaxIncomingBitrate ?? DEFAULT_SFU_CONFIG.maxIncomingBitrate,
      ...(onHealth ? { onHealth: (h: IngestHealth) => onHealth(lectureId, peerId, h) } : {}),
      // The client hung up or the lecture's router went: the slot is free.
      onClosed: (closed) => {
        if (this.#ingests.get(key) === closed) this.#ingests.delete(key);
      },
    }));
    return {
      answerSdp: whip.answerSdp,
      resourceId: whip.resourceId,
      videoProducerId: whip.video.id,
      ...(whip.audio ? { audioProducerId: whip.audio.id } : {}),
    };
  }

  /** Ends a WHIP publish if it is still the slot's source; false otherwise (see the top of this file). */
  closeWhip(lectureId: string, peerId: string, resourceId: string): boolean {
    const found = this.whipIngest(lectureId, peerId);
    if (found?.resourceId !== resourceId) return false;
    this.close(lectureId, peerId);
    return true;
  }

  /** The slot's RTMP/RTSP/file ingest; undefined while it starts or when the slot holds a WHIP publish. */
  ingest(lectureId: string, peerId: string): Ingest | undefined {
    const found = this.#ingests.get(slotKey(lectureId, peerId));
    return found instanceof Ingest ? found : undefined;
  }

  whipIngest(lectureId: string, peerId: string): WhipIngest | undefined {
    const found = this.#ingests.get(slotKey(lectureId, peerId));
    return found instanceof WhipIngest ? found : undefined;
  }

  health(lectureId: string, peerId: string): IngestHealth | undefined {
    return this.#source(lectureId, peerId)?.health();
  }

  /** The room microphone follows the floor, whatever kind of source the slot holds. No-op for an empty slot. */
  async setMicrophone(lectureId: string, peerId: string, on: boolean): Promise<void> {
    await this.#source(lectureId, peerId)?.setMicrophone(on);
  }

  /** Revokes the key or stops the pull; the classroom's gateway producers close. */
  close(lectureId: string, peerId: string): void {
    const key = slotKey(lectureId, peerId);
    this.#rtmpPorts.delete(key);
    const found = this.#ingests.get(key);
    if (found === undefined) return;
    // One still starting sees its slot gone when it is ready, and closes itself.
    this.#ingests.delete(key);
    if (found !== 'starting') found.close();
  }

  /** Every source of a lecture (it ended, or its media closed). */
  closeLecture(lectureId: string): void {
    for (const key of [...this.#ingests.keys()]) {
      const [lecture, peerId] = key.split('\n') as [string, string];
      if (lecture === lectureId) this.close(lecture, peerId);
    }
  }

  closeAll(): void {
    for (const [key, found] of this.#ingests) {
      if (found !== 'starting') found.close();
      this.#ingests.delete(key);
    }
    this.#rtmpPorts.clear();
  }

  /**
   * A port for a classroom's RTMP listener, held for it until close(): in the configured range, or
   * any free one. Each candidate is taken before it is tried, so simultaneous opens for different
   * classrooms never get the same port.
   */
  async #rtmpPort(slot: string): Promise<number> {
    const host = this.#opts.rtmpBindHost ?? LOOPBACK;
    const range = this.#opts.rtmpPorts;
    if (!range) return (await tryPort(host, 0))!;
    const held = new Set(this.#rtmpPorts.values());
    for (let port = range.first; port <= range.last; port++) {
      if (this.#ingests.get(slot) !== 'starting') throw new AppError('CONFLICT', 'the source was closed while it was being set up');
      if (held.has(port)) continue;
      this.#rtmpPorts.set(slot, port);
      held.add(port);
      if ((await tryPort(host, port)) !== null && this.#rtmpPorts.get(slot) === port) return port;
      if (this.#rtmpPorts.get(slot) === port) this.#rtmpPorts.delete(slot);
    }
    throw new AppError('UNAVAILABLE', `every RTMP port (${range.first}-${range.last}) is in use; widen GATEWAY_RTMP_PORTS`);
  }

  /** Marks the slot as starting (closing what ran there); CONFLICT while another start is under way. */
  #claim(lectureId: string, peerId: string): string {
    const key = slotKey(lectureId, peerId);
    if (this.#ingests.get(key) === 'starting') throw new AppError('CONFLICT', 'this classroom\'s source is already being set up');
    this.close(lectureId, peerId);
    this.#ingests.set(key, 'starting'); // no await before this: one start per classroom at a time
    return key;
  }

  #source(lectureId: string, peerId: string): Ingest | WhipIngest | undefined {
    const found = this.#ingests.get(slotKey(lectureId, peerId));
    return found === 'starting' ? undefined : found;
  }

  #startIngest(lectureId: string, peerId: string, input: IngestOptions['input'], claimed?: string): Promise<Ingest> {
    const { onHealth, encode } = this.#opts;
    return this.#start(lectureId, peerId, () => Ingest.start(this.#node, {
      lectureId, peerId, input, ...(encode ? { encode } : {}),
      ...(onHealth ? { onHealth: (h: IngestHealth) => onHealth(lectureId, peerId, h) } : {}),
    }), claimed);
  }

  /**
   * Replaces the slot's source with the one `create` makes, one start per slot at a time.
   * `claimed`: the slot key openRtmp already claimed (it looked for a port meanwhile).
   */
  async #start<S extends Ingest | WhipIngest>(lectureId: string, peerId: string, create: () => Promise<S>, claimed?: string): Promise<S> {
    const key = claimed ?? this.#claim(lectureId, peerId);
    if (this.#ingests.get(key) !== 'starting') throw new AppError('CONFLICT', 'the source was closed while it was being set up');
    try {
      const ingest = await create();
      if (this.#ingests.get(key) !== 'starting') {
        ingest.close(); // closeAll() ran meanwhile
        throw new AppError('CONFLICT', 'the gateway closed while the source was being set up');
      }
      this.#ingests.set(key, ingest);
      return ingest;
    } catch (err) {
      if (this.#ingests.get(key) === 'starting') this.#ingests.delete(key);
      this.#rtmpPorts.delete(key);
      throw err;
    }
  }
}
