/**
 * The media gateway as signaling sees it (MediaGatewayPort in shared/): plain ids and health in,
 * no mediasoup objects out. Health is pushed to the node's `sourceHealth` event about once a second.
 */
import { type MediaGatewayPort, type SourceHealth, type SourceKind, type SourceProducers, type WhipAnswer } from '@tongtang/shared';
import type { MediasoupNode } from '../MediasoupNode.ts';
import type { Ingest, IngestHealth } from './Ingest.ts';
import { MediaGateway } from './MediaGateway.ts';

export type SourceHealthListener = (lectureId: string, slot: string, health: SourceHealth & { kind: SourceKind }) => void;

export interface GatewayPortOptions {
  /** Address the RTMP listeners bind to: the SFU's listen address. */
  bindHost: string;
  /** Host put in the RTMP URL an encoder is given: the SFU's announced address, or its listen address. */
  publicHost: string;
  rtmpPorts: { first: number; last: number } | null;
  onHealth: SourceHealthListener;
}

export function toSourceHealth(h: IngestHealth): SourceHealth & { kind: SourceKind } {
  return {
    // A file is a test's stand-in for a camera.
    kind: h.source === 'file' ? 'rtsp' : h.source,
    state: h.state, fps: h.fps, bitrateKbps: h.bitrateKbps, keyFrameSeconds: h.keyFrameSeconds,
    reconnects: h.reconnects, lastError: h.lastError ?? null,
  };
}

function producersOf(ingest: Ingest): SourceProducers {
  return { videoProducerId: ingest.video.producer.id, audioProducerId: ingest.audio.producer.id };
}

export class GatewayPort implements MediaGatewayPort {
  readonly gateway: MediaGateway;

  constructor(node: MediasoupNode, opts: GatewayPortOptions) {
    this.gateway = new MediaGateway(node, {
      rtmpBindHost: opts.bindHost,
      rtmpHost: opts.publicHost,
      rtmpPorts: opts.rtmpPorts,
      onHealth: (lectureId, slot, health) => opts.onHealth(lectureId, slot, toSourceHealth(health)),
    });
  }

  async openRtmp(lectureId: string, slot: string): Promise<SourceProducers & { url: string; key: string }> {
    const { url, key, ingest } = await this.gateway.openRtmp(lectureId, slot);
    return { url, key, ...producersOf(ingest) };
  }

  async pullRtsp(lectureId: string, slot: string, url: string): Promise<SourceProducers> {
    return producersOf(await this.gateway.pullRtsp(lectureId, slot, url));
  }

  publishWhip(lectureId: string, slot: string, offerSdp: string): Promise<WhipAnswer> {
    return this.gateway.whip(lectureId, slot, offerSdp);
  }

  closeWhip(lectureId: string, slot: string, resourceId: string): boolean {
    return this.gateway.closeWhip(lectureId, slot, resourceId);
  }

  async setMicrophone(lectureId: string, slot: string, on: boolean): Promise<void> {
    await this.gateway.setMicrophone(lectureId, slot, on); // whatever kind of source, WHIP included
  }

  close(lectureId: string, slot: string): void {
    this.gateway.close(lectureId, slot);
  }

  closeLecture(lectureId: string): void {
    this.gateway.closeLecture(lectureId);
  }

  closeAll(): void {
    this.gateway.closeAll();
  }
}
