/**
 * WHIP from a real browser: Chromium's own RTCPeerConnection (no mediasoup-client) makes the
 * offer a WHIP client would, with its candidates gathered, and applies MediaGateway.whip()'s
 * answer. Chromium is strict about answers, so this checks the answer SDP itself, and the RID
 * simulcast path with three layers; werift (sfu-server/src/gateway/whip.test.ts) covers the rest.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sfuConfig } from '../../sfu-server/src/config.ts';
import { MediaGateway } from '../../sfu-server/src/gateway/MediaGateway.ts';
import { MediasoupNode } from '../../sfu-server/src/MediasoupNode.ts';
import { FakeClient } from '../../sfu-server/test-support/fakeClient.ts';
import { tapRtp } from '../../sfu-server/test-support/plainRtp.ts';
import { waitFor } from '../../sfu-server/test-support/testSupport.ts';
import { openTab, type BrowserTab } from '../helpers/browser.ts';

let node: MediasoupNode;
let gateway: MediaGateway;
let page: http.Server;
let tab: BrowserTab;

beforeAll(async () => {
  node = await MediasoupNode.create(sfuConfig({ numWorkers: 1, rtcPort: 0 }));
  gateway = new MediaGateway(node);
  // getUserMedia wants a secure context: http on loopback is one.
  page = http.createServer((_req, res) => res.end('<!doctype html><title>whip</title>'));
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  tab = await openTab(`http://127.0.0.1:${(page.address() as AddressInfo).port}/`, 'whip');
});
afterAll(async () => {
  await tab?.close();
  page?.close();
  gateway?.closeAll();
  await node?.close();
});

/** The page's offer: camera (three RID layers, lowest first as Chromium's q/h/f naming goes) and microphone, sendonly. */
const makeOffer = `(async () => {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 }, audio: true });
  const pc = new RTCPeerConnection();
  pc.addTransceiver(stream.getVideoTracks()[0], { direction: 'sendonly', sendEncodings: [
    { rid: 'f' }, { rid: 'h', scaleResolutionDownBy: 2 }, { rid: 'q', scaleResolutionDownBy: 4 },
  ] });
  pc.addTransceiver(stream.getAudioTracks()[0], { direction: 'sendonly' });
  await pc.setLocalDescription();
  await new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') resolve();
    pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
  });
  window.whipPc = pc;
  return pc.localDescription.sdp;
})()`;

describe('WHIP from Chromium', () => {
  it('accepts the answer, connects, and its three simulcast layers reach a consumer', async () => {
    const lectureId = randomUUID();
    await FakeClient.join(node, lectureId, 'lecturer');
    const offer = await tab.page.evaluate(makeOffer) as string;
    const published = await gateway.whip(lectureId, 'room-c', offer);
    await tab.page.evaluate(`window.whipPc.setRemoteDescription({ type: 'answer', sdp: ${JSON.stringify(published.answerSdp)} })`);
    const whip = gateway.whipIngest(lectureId, 'room-c')!;
    expect(whip.video.type).toBe('simulcast');
    // Lowest first, whatever order the page listed them in.
    expect(whip.video.rtpParameters.encodings!.map((e) => e.rid)).toEqual(['q', 'h', 'f']);
    const video = await tapRtp(node, lectureId, published.videoProducerId);
    try {
      await video.waitFor(100, 30_000);
      expect(await tab.page.evaluate('window.whipPc.connectionState')).toBe('connected');
      // libwebrtc sends a third layer only from 720p up (the fake camera gives 1280x720 when asked).
      await waitFor(() => whip.video.score.length === 3 && whip.video.score.every((l) => l.score > 0), 20_000);
      await waitFor(() => gateway.health(lectureId, 'room-c')?.state === 'live', 10_000);
    } finally {
      video.close();
    }
    expect(gateway.closeWhip(lectureId, 'room-c', published.resourceId)).toBe(true);
  });

  it('publishes H.264 when the page offers only H.264, as a hardware encoder would', async () => {
    const lectureId = randomUUID();
    await FakeClient.join(node, lectureId, 'lecturer');
    const offer = await tab.page.evaluate(`(async () => {
      const h264 = RTCRtpSender.getCapabilities('video').codecs.filter((c) => c.mimeType === 'video/H264'
        && /packetization-mode=1/.test(c.sdpFmtpLine) && /profile-level-id=42e01f/.test(c.sdpFmtpLine));
      if (h264.length === 0) return null;
      const stream = await navigator.mediaDevices.getUserMedia({ video: true });
      const pc = new RTCPeerConnection();
      pc.addTransceiver(stream.getVideoTracks()[0], { direction: 'sendonly' }).setCodecPreferences(h264);
      await pc.setLocalDescription();
      await new Promise((resolve) => {
        if (pc.iceGatheringState === 'complete') resolve();
        pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
      });
      window.whipH264 = pc;
      return pc.localDescription.sdp;
    })()`) as string | null;
    if (offer === null) {
      console.warn('this Chromium cannot encode H.264 constrained baseline: H.264 WHIP from a browser not checked');
      return;
    }
    const published = await gateway.whip(lectureId, 'room-h', offer);
    await tab.page.evaluate(`window.whipH264.setRemoteDescription({ type: 'answer', sdp: ${JSON.stringify(published.answerSdp)} })`);
    expect(gateway.whipIngest(lectureId, 'room-h')!.video.rtpParameters.codecs[0]!.mimeType).toBe('video/H264');
    const video = await tapRtp(node, lectureId, published.videoProducerId);
    try {
      await video.waitFor(100, 30_000);
    } finally {
      video.close();
    }
  });
});
