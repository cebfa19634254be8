import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { useGatewayFixture } from '../../test-support/gatewayFixture.ts';
import type { RtpTap } from '../../test-support/plainRtp.ts';
import { waitFor } from '../../test-support/testSupport.ts';
import { hardwareClip, pushRtmp, type Encoder } from '../../test-support/testClips.ts';

const fx = useGatewayFixture();

function push(clip: string, url: string): Encoder {
  const encoder = pushRtmp(clip, url);
  fx.later(() => encoder.stop());
  return encoder;
}

describe('media gateway: RTMP push', () => {
  it('turns an H.264/AAC push with the right key into the classroom\'s VP8 camera; the room mic is heard only when opened', async () => {
    const lectureId = await fx.lecture();
    const { url, key } = await fx.gateway.openRtmp(lectureId, 'room-a');
    fx.later(() => fx.gateway.close(lectureId, 'room-a'));
    const ingest = fx.gateway.ingest(lectureId, 'room-a')!;
    expect(ingest.video.producer.rtpParameters.codecs[0]!.mimeType).toBe('video/VP8');
    const video = await fx.tap(lectureId, ingest.video.producer.id);
    const audio = await fx.tap(lectureId, ingest.audio.producer.id);

    push(await hardwareClip('h264-aac'), `${url}/${key}`);
    await waitFor(() => ingest.health().state === 'live', 20_000);
    await waitFor(() => media(video) >= 100, 40_000);
    // Muted until the classroom holds the floor: nothing reaches a listener.
    const before = media(audio);
    await new Promise((r) => setTimeout(r, 1000));
    expect(media(audio)).toBe(before);
    expect(before).toBe(0);
    await ingest.setMicrophone(true);
    await waitFor(() => media(audio) >= 25, 40_000);
    await waitFor(() => ingest.health().fps > 0 && ingest.health().bitrateKbps > 0, 10_000);
    expect(ingest.health()).toMatchObject({ source: 'rtmp', state: 'live', reconnects: 0 });
  }, 120_000);

  it('refuses a wrong key, says so, and still takes the right key afterwards', async () => {
    const lectureId = await fx.lecture();
    const { url, key } = await fx.gateway.openRtmp(lectureId, 'room-b');
    fx.later(() => fx.gateway.close(lectureId, 'room-b'));
    const ingest = fx.gateway.ingest(lectureId, 'room-b')!;
    const video = await fx.tap(lectureId, ingest.video.producer.id);
    const clip = await hardwareClip('h264-aac');

    const intruder = push(clip, `${url}/not-${key}`);
    await waitFor(() => ingest.health().lastError === 'refused a publish with a wrong stream key', 15_000);
    intruder.stop();
    expect(media(video)).toBe(0);
    expect(ingest.health().state).not.toBe('live');

    // The listener is back after its back-off; an encoder retries as OBS does.
    await waitFor(() => ingest.health().state === 'waiting', 15_000);
    const encoder = push(clip, `${url}/${key}`);
    await waitFor(() => media(video) >= 50, 40_000);
    expect(ingest.health().reconnects).toBeGreaterThanOrEqual(1);
    encoder.stop();
  }, 120_000);

  it('revoking the key closes the classroom\'s gateway producers and the port', async () => {
    const lectureId = await fx.lecture();
    const { port } = await fx.gateway.openRtmp(lectureId, 'room-c');
    const ingest = fx.gateway.ingest(lectureId, 'room-c')!;
    await waitFor(() => ingest.health().state === 'waiting', 5000);
    fx.gateway.close(lectureId, 'room-c');
    expect(ingest.video.producer.closed).toBe(true);
    expect(ingest.audio.producer.closed).toBe(true);
    expect(fx.gateway.health(lectureId, 'room-c')).toBeUndefined();
    // The listener is gone: an encoder still holding the old key cannot connect at all.
    let refused = false;
    for (let i = 0; i < 50 && !refused; i += 1) {
      refused = !(await connects(port));
      if (!refused) await new Promise((r) => setTimeout(r, 100));
    }
    expect(refused).toBe(true);
  }, 120_000);

  it('a burst of requests for one classroom starts one ingest, the rest get a clear conflict', async () => {
    const lectureId = await fx.lecture();
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => fx.gateway.openRtmp(lectureId, 'room-d')));
    fx.later(() => fx.gateway.close(lectureId, 'room-d'));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT' });
    }
  }, 120_000);
});

describe('media gateway: bad input', () => {
  it('a stream with no video gets a clear error and the classroom recovers when video comes', async () => {
    const lectureId = await fx.lecture();
    const { url, key } = await fx.gateway.openRtmp(lectureId, 'room-e');
    fx.later(() => fx.gateway.close(lectureId, 'room-e'));
    const ingest = fx.gateway.ingest(lectureId, 'room-e')!;
    const bad = push(await hardwareClip('audio-only'), `${url}/${key}`);
    await waitFor(() => ingest.health().lastError === 'the stream has no video', 20_000);
    bad.stop();
    await waitFor(() => ingest.health().state === 'waiting', 15_000);
    const video = await fx.tap(lectureId, ingest.video.producer.id);
    push(await hardwareClip('h264-aac'), `${url}/${key}`);
    await waitFor(() => media(video) >= 50, 40_000);
  }, 120_000);

  it('garbage on the RTMP port ends in an error and a fresh listener, not a crash', async () => {
    const lectureId = await fx.lecture();
    const { url, key, port } = await fx.gateway.openRtmp(lectureId, 'room-f');
    fx.later(() => fx.gateway.close(lectureId, 'room-f'));
    const ingest = fx.gateway.ingest(lectureId, 'room-f')!;
    // Until the listener is up the connection is refused; then it gets 4 KiB of junk.
    await waitFor(() => ingest.health().state === 'waiting', 5000);
    let sent = false;
    for (let i = 0; i < 50 && !sent; i += 1) {
      sent = await new Promise<boolean>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => s.end(Buffer.alloc(4096, 0x5a), () => resolve(true)));
        s.on('error', () => resolve(false));
      });
      if (!sent) await new Promise((r) => setTimeout(r, 100));
    }
    expect(sent).toBe(true);
    await waitFor(() => ingest.health().reconnects >= 1 && ingest.health().state === 'waiting', 15_000);
    expect(ingest.health().lastError).toBeTruthy();
    const video = await fx.tap(lectureId, ingest.video.producer.id);
    push(await hardwareClip('h264-aac'), `${url}/${key}`);
    await waitFor(() => media(video) >= 50, 40_000);
  }, 120_000);

  // The first encoder's media flowed before it left: the restarted ffmpeg must send from the same
  // local ports, or the producer's PlainTransport (locked onto the first sender) drops it all.
  it('a resolution change mid-stream keeps the picture flowing at the gateway\'s fixed size', async () => {
    const lectureId = await fx.lecture();
    const { url, key } = await fx.gateway.openRtmp(lectureId, 'room-g');
    fx.later(() => fx.gateway.close(lectureId, 'room-g'));
    const ingest = fx.gateway.ingest(lectureId, 'room-g')!;
    const video = await fx.tap(lectureId, ingest.video.producer.id);
    const first = push(await hardwareClip('h264-aac'), `${url}/${key}`);
    await waitFor(() => media(video) >= 50, 40_000);
    first.stop();
    // The encoder comes back at 1280x720 (OBS after a settings change): same producer, still VP8.
    await waitFor(() => ingest.health().state !== 'live', 15_000);
    const count = media(video);
    push(await hardwareClip('h264-aac-720p'), `${url}/${key}`);
    await waitFor(() => media(video) >= count + 50, 40_000);
    expect(ingest.video.producer.closed).toBe(false);
  }, 120_000);
});

/** Packets of the consumed stream itself: mediasoup's bandwidth probator also sends padding (SSRC 1234). */
function media(t: RtpTap): number {
  const ssrc = t.consumer.rtpParameters.encodings![0]!.ssrc;
  return t.packets.filter((p) => p.ssrc === ssrc).length;
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });
}
