/**
 * The media gateway of one node: partner classrooms' hardware (an encoder pushing RTMP, an IP
 * camera served over RTSP) brought in as the classroom's room camera and microphone. One ingest
 * per classroom per lecture; RTMP keys are random, per classroom and lecture, and revoked by
 * closing the ingest (ffmpeg's RTMP server refuses any other stream name).
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { AppError } from '../../../shared/src/index.ts';
import type { MediasoupNode } from '../MediasoupNode.ts';
import { RTMP_APP, type EncodeOptions } from './ffmpegArgs.ts';
import { Ingest, type IngestHealth, type IngestOptions } from './Ingest.ts';
import { LOOPBACK } from './plainProducer.ts';

export interface RtmpEndpoint { url: string; key: string; port: number }

export interface GatewayOptions {
  /** Address the RTMP listeners bind to (loopback in tests; the campus-facing address in production). */
  rtmpHost?: string;
  /** Where the RTMP listeners bind (127.0.0.1 unless told, e.g. 0.0.0.0 for classroom encoders). */
  rtmpBindHost?: string;
  encode?: EncodeOptions;
  onHealth?: (lectureId: string, peerId: string, health: IngestHealth) => void;
}

function slotKey(lectureId: string, peerId: string): string {
  return `${lectureId}\n${peerId}`;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export class MediaGateway {
  readonly #node: MediasoupNode;
  readonly #opts: GatewayOptions;
  /** Pending while an ingest starts, so a burst of requests for one classroom starts one. */
  readonly #ingests = new Map<string, Ingest | 'starting'>();

  constructor(node: MediasoupNode, opts: GatewayOptions = {}) {
    this.#node = node;
    this.#opts = opts;
  }

  /** A fresh RTMP endpoint for the classroom; any previous one (and its key) is revoked. */
  async openRtmp(lectureId: string, peerId: string): Promise<RtmpEndpoint> {
    const key = randomBytes(18).toString('base64url');
    const port = await freePort();
    await this.#start(lectureId, peerId, { kind: 'rtmp', port, key, ...(this.#opts.rtmpBindHost ? { bindHost: this.#opts.rtmpBindHost } : {}) });
    const host = this.#opts.rtmpHost ?? LOOPBACK;
    return { url: `rtmp://${host}:${port}/${RTMP_APP}`, key, port };
  }

  /** Pulls the classroom's camera (TCP interleaved unless told otherwise), reconnecting with back-off. */
  async pullRtsp(lectureId: string, peerId: string, url: string, transport: 'tcp' | 'udp' = 'tcp'): Promise<void> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new AppError('BAD_REQUEST', 'the camera URL is not a URL');
    }
    if (parsed.protocol !== 'rtsp:' && parsed.protocol !== 'rtsps:') throw new AppError('BAD_REQUEST', 'the camera URL must start with rtsp:// or rtsps://');
    await this.#start(lectureId, peerId, { kind: 'rtsp', url, transport });
  }

  /** Tests and benches: a local file looped as if it were the classroom's camera. */
  async playFile(lectureId: string, peerId: string, path: string): Promise<Ingest> {
    return this.#start(lectureId, peerId, { kind: 'file', path });
  }

  ingest(lectureId: string, peerId: string): Ingest | undefined {
    const found = this.#ingests.get(slotKey(lectureId, peerId));
    return found === 'starting' ? undefined : found;
  }

  health(lectureId: string, peerId: string): IngestHealth | undefined {
    return this.ingest(lectureId, peerId)?.health();
  }

  /** Revokes the key or stops the pull; the classroom's gateway producers close. */
  close(lectureId: string, peerId: string): void {
    const key = slotKey(lectureId, peerId);
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
  }

  async #start(lectureId: string, peerId: string, input: IngestOptions['input']): Promise<Ingest> {
    const key = slotKey(lectureId, peerId);
    if (this.#ingests.get(key) === 'starting') throw new AppError('CONFLICT', 'this classroom\'s source is already being set up');
    this.close(lectureId, peerId);
    this.#ingests.set(key, 'starting'); // no await before this: one start per classroom at a time
    try {
      const { onHealth, encode } = this.#opts;
      const ingest = await Ingest.start(this.#node, {
        lectureId, peerId, input, ...(encode ? { encode } : {}),
        ...(onHealth ? { onHealth: (h: IngestHealth) => onHealth(lectureId, peerId, h) } : {}),
      });
      if (this.#ingests.get(key) !== 'starting') {
        ingest.close(); // closeAll() ran meanwhile
        throw new AppError('CONFLICT', 'the gateway closed while the source was being set up');
      }
      this.#ingests.set(key, ingest);
      return ingest;
    } catch (err) {
      if (this.#ingests.get(key) === 'starting') this.#ingests.delete(key);
      throw err;
    }
  }
}
