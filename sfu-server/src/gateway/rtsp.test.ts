import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { useGatewayFixture } from '../../test-support/gatewayFixture.ts';
import type { RtpTap } from '../../test-support/plainRtp.ts';
import { startRtspCamera, type RtspCamera } from '../../test-support/rtspServer.ts';
import { expectAppError, waitFor } from '../../test-support/testSupport.ts';
import type { IngestState } from './Ingest.ts';

/** Every state change of every classroom's ingest, with its time, to check timing and back-off. */
const transitions = new Map<string, { at: number; state: IngestState }[]>();
const fx = useGatewayFixture({
  onHealth: (_lecture, peerId, health) => {
    const seen = transitions.get(peerId) ?? [];
    if (seen.at(-1)?.state !== health.state) seen.push({ at: Date.now(), state: health.state });
    transitions.set(peerId, seen);
  },
});

async function camera(): Promise<RtspCamera> {
  const cam = await startRtspCamera();
  fx.later(() => cam.stop());
  return cam;
}

describe('media gateway: RTSP pull from an IP camera', () => {
  it('pulls the camera live; shows it gone when it drops; reconnects by itself on the same producer', async () => {
    const cam = await camera();
    const lectureId = await fx.lecture();
    await fx.gateway.pullRtsp(lectureId, 'room-r', cam.url);
    fx.later(() => fx.gateway.close(lectureId, 'room-r'));
    const ingest = fx.gateway.ingest(lectureId, 'room-r')!;
    const producerId = ingest.video.producer.id;
    const video = await fx.tap(lectureId, producerId);

    await waitFor(() => ingest.health().state === 'live', 20_000);
    await waitFor(() => media(video) >= 50, 20_000);
    expect(ingest.health()).toMatchObject({ source: 'rtsp', reconnects: 0, lastError: undefined });

    // The camera reboots: viewers' status shows it within seconds, with the reason.
    await cam.stop();
    const droppedAt = Date.now();
    await waitFor(() => ['stalled', 'restarting'].includes(ingest.health().state), 8_000);
    expect(Date.now() - droppedAt).toBeLessThan(8_000);
    expect(ingest.health().lastError).toBeTruthy();
    await new Promise((r) => setTimeout(r, 2000)); // down for a while: the gateway keeps retrying
    expect(ingest.health().state).not.toBe('live');

    await cam.start();
    const before = media(video);
    await waitFor(() => ingest.health().state === 'live', 30_000);
    await waitFor(() => media(video) >= before + 50, 20_000);
    expect(ingest.health().reconnects).toBeGreaterThanOrEqual(1);
    // Consumers stayed attached: the same producer carries the camera again.
    expect(ingest.health().videoProducerId).toBe(producerId);
    expect(ingest.video.producer.closed).toBe(false);
    expect(video.consumer.closed).toBe(false);
  }, 120_000);

  it('a camera address where nothing listens gives a clear error and retries with growing back-off', async () => {
    const lectureId = await fx.lecture();
    const url = `rtsp://127.0.0.1:${await unusedPort()}/camera`;
    await fx.gateway.pullRtsp(lectureId, 'room-s', url);
    fx.later(() => fx.gateway.close(lectureId, 'room-s'));
    const ingest = fx.gateway.ingest(lectureId, 'room-s')!;

    await waitFor(() => ingest.health().reconnects >= 3, 15_000);
    expect(ingest.health().lastError).toMatch(/refused/i);
    expect(ingest.health().state).not.toBe('live');
    expect(ingest.video.producer.closed).toBe(false);
    // Each wait before a retry is longer than the one before (500 ms, 1 s, 2 s...).
    const restarts = transitions.get('room-s')!.filter((t) => t.state === 'restarting').map((t) => t.at);
    const waits = restarts.slice(1).map((at, i) => at - restarts[i]!);
    expect(waits.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < waits.length; i += 1) expect(waits[i]!).toBeGreaterThan(waits[i - 1]!);
  }, 60_000);

  it('refuses a camera URL that is not rtsp:// with BAD_REQUEST and starts nothing', async () => {
    const lectureId = await fx.lecture();
    await expectAppError(fx.gateway.pullRtsp(lectureId, 'room-t', 'http://127.0.0.1:8080/camera'), 'BAD_REQUEST');
    await expectAppError(fx.gateway.pullRtsp(lectureId, 'room-t', 'not a url'), 'BAD_REQUEST');
    expect(fx.gateway.ingest(lectureId, 'room-t')).toBeUndefined();
  });
});

/** Packets of the consumed stream itself: mediasoup's bandwidth probator also sends padding (SSRC 1234). */
function media(t: RtpTap): number {
  const ssrc = t.consumer.rtpParameters.encodings![0]!.ssrc;
  return t.packets.filter((p) => p.ssrc === ssrc).length;
}

/** A port that was free a moment ago and that nothing in this test listens on. */
async function unusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
