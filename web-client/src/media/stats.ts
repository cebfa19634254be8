/** Reads the numbers end-to-end tests and the stats panel care about from WebRTC stats. */
import type { Consumer, Producer } from 'mediasoup-client/types';
import type { MediaKind, MediaSource } from '../../../shared/src/domain.ts';

export interface InboundStats {
  consumerId: string;
  participantId: string;
  source: MediaSource;
  kind: MediaKind;
  packetsReceived: number;
  bytesReceived: number;
  /** 0 for audio. */
  framesDecoded: number;
  frameWidth: number;
  frameHeight: number;
}

export interface OutboundStats {
  producerId: string;
  source: MediaSource;
  kind: MediaKind;
  /** Summed over simulcast layers. */
  bytesSent: number;
  packetsSent: number;
}

type Report = Record<string, unknown>;

function reportsOfType(stats: RTCStatsReport, type: string): Report[] {
  const found: Report[] = [];
  stats.forEach((report: Report) => {
    if (report.type === type) found.push(report);
  });
  return found;
}

const num = (value: unknown): number => (typeof value === 'number' ? value : 0);

export async function inboundStatsOf(
  consumer: Consumer,
  meta: { participantId: string; source: MediaSource },
): Promise<InboundStats> {
  const [report] = reportsOfType(await consumer.getStats(), 'inbound-rtp');
  return {
    consumerId: consumer.id,
    participantId: meta.participantId,
    source: meta.source,
    kind: consumer.kind,
    packetsReceived: num(report?.packetsReceived),
    bytesReceived: num(report?.bytesReceived),
    framesDecoded: num(report?.framesDecoded),
    frameWidth: num(report?.frameWidth),
    frameHeight: num(report?.frameHeight),
  };
}

export async function outboundStatsOf(producer: Producer, source: MediaSource): Promise<OutboundStats> {
  const reports = reportsOfType(await producer.getStats(), 'outbound-rtp');
  return {
    producerId: producer.id,
    source,
    kind: producer.kind,
    bytesSent: reports.reduce((sum, r) => sum + num(r.bytesSent), 0),
    packetsSent: reports.reduce((sum, r) => sum + num(r.packetsSent), 0),
  };
}
