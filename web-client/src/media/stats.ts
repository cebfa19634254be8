/** Reads the numbers end-to-end tests, quality indicators and the connection check use from WebRTC stats. */
import type { Consumer, Producer } from 'mediasoup-client/types';
import type { MediaKind, MediaSource } from '@tongtang/shared';

export interface InboundStats {
  consumerId: string;
  participantId: string;
  source: MediaSource;
  kind: MediaKind;
  packetsReceived: number;
  packetsLost: number;
  bytesReceived: number;
  /** 0 for audio. */
  framesDecoded: number;
  frameWidth: number;
  frameHeight: number;
  /** Audio: samples played out, and those the decoder had to invent for lost or late packets. */
  totalSamplesReceived: number;
  concealedSamples: number;
  /** Of the concealed ones, those concealing silence (DTX pauses, comfort noise). */
  silentConcealedSamples: number;
  /** Video: freezes as the browser counts them, and their total length in seconds. */
  freezeCount: number;
  totalFreezesDuration: number;
  /** Retransmissions this receiver asked for (NACK): loss recovery at work. */
  nackCount: number;
}

export interface OutboundStats {
  producerId: string;
  source: MediaSource;
  kind: MediaKind;
  /** Summed over simulcast layers. */
  bytesSent: number;
  packetsSent: number;
  /** What the SFU reports back (RTCP receiver reports); null before the first report. */
  fractionLost: number | null;
  roundTripTimeMs: number | null;
}

/** The ICE candidate pair a transport actually uses. */
export interface TransportPath {
  protocol: 'udp' | 'tcp';
  /** The local candidate went through a TURN relay. */
  relayed: boolean;
  /** How this browser reaches the TURN server, when relayed (turns: is 'tls'). */
  relayProtocol: 'udp' | 'tcp' | 'tls' | null;
  rttMs: number | null;
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
const maybe = (value: unknown): number | null => (typeof value === 'number' ? value : null);

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
    packetsLost: num(report?.packetsLost),
    bytesReceived: num(report?.bytesReceived),
    framesDecoded: num(report?.framesDecoded),
    frameWidth: num(report?.frameWidth),
    frameHeight: num(report?.frameHeight),
    totalSamplesReceived: num(report?.totalSamplesReceived),
    concealedSamples: num(report?.concealedSamples),
    silentConcealedSamples: num(report?.silentConcealedSamples),
    freezeCount: num(report?.freezeCount),
    totalFreezesDuration: num(report?.totalFreezesDuration),
    nackCount: num(report?.nackCount),
  };
}

export async function outboundStatsOf(producer: Producer, source: MediaSource): Promise<OutboundStats> {
  const stats = await producer.getStats();
  const reports = reportsOfType(stats, 'outbound-rtp');
  const remote = reportsOfType(stats, 'remote-inbound-rtp');
  const lost = remote.map((r) => maybe(r.fractionLost)).filter((v): v is number => v !== null);
  const rtt = remote.map((r) => maybe(r.roundTripTime)).filter((v): v is number => v !== null);
  return {
    producerId: producer.id,
    source,
    kind: producer.kind,
    bytesSent: reports.reduce((sum, r) => sum + num(r.bytesSent), 0),
    packetsSent: reports.reduce((sum, r) => sum + num(r.packetsSent), 0),
    fractionLost: lost.length ? Math.max(...lost) : null,
    roundTripTimeMs: rtt.length ? Math.round(Math.max(...rtt) * 1000) : null,
  };
}

/** How a path reads to people: "UDP", "TCP", or "TURN/TLS" for a relay reached over TLS. */
export function pathLabel(path: TransportPath): string {
  return path.relayed ? `TURN/${(path.relayProtocol ?? path.protocol).toUpperCase()}` : path.protocol.toUpperCase();
}

/** The selected candidate pair of a transport's peer connection; null until ICE has connected. */
export function transportPathOf(stats: RTCStatsReport): TransportPath | null {
  const byId = new Map<string, Report>();
  stats.forEach((r: Report) => byId.set(String(r.id), r));
  const transport = reportsOfType(stats, 'transport')[0];
  const selectedId = transport?.selectedCandidatePairId;
  const pair = typeof selectedId === 'string'
    ? byId.get(selectedId)
    // Browsers without selectedCandidatePairId mark the pair in use as nominated and succeeded.
    : reportsOfType(stats, 'candidate-pair').find((p) => p.nominated === true && p.state === 'succeeded');
  if (!pair) return null;
  const local = byId.get(String(pair.localCandidateId));
  const protocol = local?.protocol === 'tcp' ? 'tcp' : local?.protocol === 'udp' ? 'udp' : null;
  if (!protocol) return null;
  const rtt = maybe(pair.currentRoundTripTime);
  const relayed = local?.candidateType === 'relay';
  const via = local?.relayProtocol;
  const relayProtocol = relayed && (via === 'udp' || via === 'tcp' || via === 'tls') ? via : null;
  return { protocol, relayed, relayProtocol, rttMs: rtt === null ? null : Math.round(rtt * 1000) };
}
