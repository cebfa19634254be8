/**
 * WHIP ingest against a real worker: a werift client (no browser) posts its offer through
 * MediaGateway.whip(), applies the answer and sends real encoded RTP; a PlainTransport consumer
 * of the resulting producer must receive it, as a viewer would.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { streams } from '../../../tests/helpers/ffprobe.ts';
import { FakeClient } from '../../test-support/fakeClient.ts';
import { useGatewayFixture } from '../../test-support/gatewayFixture.ts';
import type { RtpTap } from '../../test-support/plainRtp.ts';
import { expectAppError, waitFor } from '../../test-support/testSupport.ts';
import { whipTestClient, type WhipTestClient, type WhipVideoCodec } from '../../test-support/whipClient.ts';
import type { MediaGateway } from './MediaGateway.ts';

const fx = useGatewayFixture();
const recordings = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-whip-rec-'));
afterAll(() => fs.rmSync(recordings, { recursive: true, force: true }));

async function client(video: WhipVideoCodec, opts: { audio?: boolean; extensions?: boolean } = {}): Promise<WhipTestClient> {
  const c = await whipTestClient({ video, ...opts });
  fx.later(() => c.close());
  return c;
}

/** Publishes through the gateway and starts the client's media. */
async function publish(lectureId: string, slot: string, c: WhipTestClient): Promise<Awaited<ReturnType<MediaGateway['whip']>>> {
  const published = await fx.gateway.whip(lectureId, slot, c.offerSdp);
  fx.later(() => fx.gateway.close(lectureId, slot));
  await c.accept(published.answerSdp);
  await c.startMedia();
  return published;
}

describe('WHIP ingest', () => {
  it('a VP8 + Opus publish reaches a consumer as the classroom\'s camera; the room mic is heard only when opened; DELETE ends it', async () => {
    const lectureId = await fx.lecture();
    const c = await client('vp8', { extensions: true });
    const published = await publish(lectureId, 'room-w', c);
    expect(published.answerSdp).toMatch(/^a=ice-lite\r$/m);
    expect(published.audioProducerId).toBeDefined();
    const whip = fx.gateway.whipIngest(lectureId, 'room-w')!;
    expect(whip.video.rtpParameters.codecs[0]!.mimeType).toBe('video/VP8');

    // Registered like the classroom's own producers: a viewer consuming them is told so.
    const viewer = await FakeClient.join(fx.node, lectureId, 'viewer');
    fx.later(() => fx.node.closePeer(lectureId, viewer.peerId));
    await viewer.openRecvTransport();
    const consumed = (producerId: string) => fx.node.consume({ lectureId, peerId: viewer.peerId, producerId });
    expect(await consumed(published.videoProducerId)).toMatchObject({ participantId: 'room-w', source: 'camera' });
    expect(await consumed(published.audioProducerId!)).toMatchObject({ participantId: 'room-w', source: 'microphone' });
    expect(fx.node.hasProducer(lectureId, published.videoProducerId)).toBe(true);

    const video = await fx.tap(lectureId, published.videoProducerId);
    const audio = await fx.tap(lectureId, published.audioProducerId!);
    await waitFor(() => media(video) >= 100, 30_000);
    expect(media(audio)).toBe(0);
    await fx.gateway.setMicrophone(lectureId, 'room-w', true);
    await waitFor(() => media(audio) >= 25, 20_000);

    await waitFor(() => fx.gateway.health(lectureId, 'room-w')?.state === 'live' && fx.gateway.health(lectureId, 'room-w')!.bitrateKbps > 0, 10_000);
    // The clip has a key frame every 0.5 s.
    await waitFor(() => fx.gateway.health(lectureId, 'room-w')!.keyFrameSeconds !== null, 10_000);
    expect(fx.gateway.health(lectureId, 'room-w')).toMatchObject({ source: 'whip', reconnects: 0, videoProducerId: published.videoProducerId });
    expect(fx.gateway.health(lectureId, 'room-w')!.keyFrameSeconds).toBeLessThan(2);

    // A DELETE for another resource id changes nothing; the right one ends the publish.
    expect(fx.gateway.closeWhip(lectureId, 'room-w', 'not-the-resource')).toBe(false);
    expect(whip.video.closed).toBe(false);
    expect(fx.gateway.closeWhip(lectureId, 'room-w', published.resourceId)).toBe(true);
    expect(whip.video.closed).toBe(true);
    expect(whip.audio!.closed).toBe(true);
    expect(fx.node.hasProducer(lectureId, published.videoProducerId)).toBe(false);
    await expectAppError(consumed(published.audioProducerId!), 'NOT_FOUND'); // forgotten, not merely closed
    expect(fx.gateway.health(lectureId, 'room-w')).toBeUndefined();
    expect(fx.gateway.closeWhip(lectureId, 'room-w', published.resourceId)).toBe(false);
  }, 90_000);

  it('an H.264 publish (as OBS sends it) reaches a consumer untouched, and records to Matroska', async () => {
    const lectureId = await fx.lecture();
    const c = await client('h264');
    const published = await publish(lectureId, 'room-h', c);
    const whip = fx.gateway.whipIngest(lectureId, 'room-h')!;
    expect(whip.video.rtpParameters.codecs[0]).toMatchObject({ mimeType: 'video/H264', parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' } });
    const video = await fx.tap(lectureId, published.videoProducerId);
    expect(video.consumer.rtpParameters.codecs[0]!.mimeType).toBe('video/H264');
    await waitFor(() => media(video) >= 100, 30_000);

    const dir = path.join(recordings, lectureId);
    await fx.node.startRecording({ lectureId, producerId: published.videoProducerId, dir, stem: 'camera', meta: { participantId: 'room-h', source: 'camera' } });
    await new Promise((r) => setTimeout(r, 4000));
    await fx.node.stopRecording(lectureId, published.videoProducerId);
    const files = fs.readdirSync(dir);
    expect(files).toContain('camera-001.mkv');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'camera-001.json'), 'utf8'))).toMatchObject({ codec: 'video/H264', file: 'camera-001.mkv' });
    expect(await streams(path.join(dir, 'camera-001.mkv'))).toMatchObject([{ codec_type: 'video', codec_name: 'h264', width: 320, height: 240 }]);
  }, 90_000);

  it('a new publish replaces the slot\'s source, and a stale DELETE cannot end its replacement', async () => {
    const lectureId = await fx.lecture();
    const first = await publish(lectureId, 'room-r', await client('vp8', { audio: false }));
    expect(first.audioProducerId).toBeUndefined();
    const old = fx.gateway.whipIngest(lectureId, 'room-r')!;
    const second = await publish(lectureId, 'room-r', await client('vp8'));
    expect(old.video.closed).toBe(true);
    expect(second.resourceId).not.toBe(first.resourceId);
    expect(fx.gateway.closeWhip(lectureId, 'room-r', first.resourceId)).toBe(false);
    const video = await fx.tap(lectureId, second.videoProducerId);
    await waitFor(() => media(video) >= 50, 30_000);
  }, 90_000);

  it('a client that goes silent shows as stalled; the lecture\'s media closing frees the slot', async () => {
    const lectureId = await fx.lecture();
    const c = await client('vp8');
    const published = await publish(lectureId, 'room-x', c);
    const whip = fx.gateway.whipIngest(lectureId, 'room-x')!;
    await waitFor(() => fx.gateway.health(lectureId, 'room-x')?.state === 'live', 30_000);
    // werift ends without a DTLS close_notify (a browser or OBS sends one, and the publish ends at
    // once): like a client whose network dropped, it is seen as a picture that stopped.
    await c.close();
    await waitFor(() => fx.gateway.health(lectureId, 'room-x')?.state === 'stalled', 10_000);
    expect(whip.video.closed).toBe(false);
    await fx.node.closeLecture(lectureId);
    await waitFor(() => whip.video.closed, 5000);
    expect(fx.gateway.health(lectureId, 'room-x')).toBeUndefined();
    expect(whip.health().state).toBe('closed');
    expect(fx.node.hasProducer(lectureId, published.videoProducerId)).toBe(false);
  }, 90_000);
});

describe('WHIP ingest: bad offers', () => {
  it('refuses a malformed offer, one without video and one with only an unsupported codec, and leaves the running source alone', async () => {
    const lectureId = await fx.lecture();
    const c = await client('vp8');
    const published = await publish(lectureId, 'room-b', c);
    const video = await fx.tap(lectureId, published.videoProducerId);
    await waitFor(() => media(video) >= 20, 30_000);

    await expectAppError(fx.gateway.whip(lectureId, 'room-b', 'this is not SDP'), 'BAD_REQUEST');
    const noVideo = c.offerSdp.replace(/m=video[\s\S]*?(?=m=audio)/, '').replace(/a=group:BUNDLE .*\r\n/, 'a=group:BUNDLE 1\r\n');
    const err = await expectAppError(fx.gateway.whip(lectureId, 'room-b', noVideo), 'BAD_REQUEST');
    expect(err.message).toMatch(/no video/);
    const vp9 = c.offerSdp.replace(/VP8\/90000/g, 'VP9/90000');
    expect((await expectAppError(fx.gateway.whip(lectureId, 'room-b', vp9), 'BAD_REQUEST')).message).toMatch(/offers VP9/);

    // The classroom's picture never stopped.
    expect(fx.gateway.whipIngest(lectureId, 'room-b')?.resourceId).toBe(published.resourceId);
    const count = media(video);
    await waitFor(() => media(video) >= count + 20, 10_000);
  }, 90_000);

  it('refuses a publish to a lecture that has not started on this node', async () => {
    const c = await client('vp8', { audio: false });
    await expectAppError(fx.gateway.whip(randomUUID(), 'room-n', c.offerSdp), 'NOT_FOUND');
  }, 30_000);
});

/** Packets of the consumed stream itself: mediasoup's bandwidth probator also sends padding (SSRC 1234). */
function media(t: RtpTap): number {
  const ssrc = t.consumer.rtpParameters.encodings![0]!.ssrc;
  return t.packets.filter((p) => p.ssrc === ssrc).length;
}
