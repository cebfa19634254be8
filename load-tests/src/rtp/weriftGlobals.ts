/**
 * Installs werift as the process's WebRTC implementation so mediasoup-client's Chrome111 handler
 * runs in Node (see /work/shared/docs/test-clients.md). werift receives RTP without decoding it,
 * which is what makes ~100 receivers per process affordable.
 */
import * as werift from 'werift';

/**
 * Every peer connection this process creates, whatever mediasoup-client asks for:
 * - no ICE servers: werift's default STUN server is on the internet, and a load test must never
 *   talk to anything but the server under test;
 * - IPv4 host candidates only: the SFU announces IPv4, and IPv6 pairs only slow ICE down;
 * - VP8 and Opus with NACK/PLI, no header extensions: the fewer features, the less work per
 *   packet in the client, and the SFU forwards fine without them.
 */
class LoadTestPeerConnection extends werift.RTCPeerConnection {
  constructor(config: Record<string, unknown> = {}) {
    super({
      ...config,
      iceServers: [],
      iceUseIpv6: false,
      codecs: {
        audio: [werift.useOPUS()],
        video: [werift.useVP8({
          rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
        })],
      },
      headerExtensions: { audio: [], video: [] },
    } as ConstructorParameters<typeof werift.RTCPeerConnection>[0]);
  }
}

/**
 * Per-socket receive buffer. A receiver's event loop that stalls for a few hundred ms (a burst
 * of joins, a busy machine) must not overflow the kernel's default ~200 KB buffer: on loopback
 * every datagram costs several KB of buffer, so the default holds only ~0.3 s of a 1 Mbps stream,
 * and the overflow would be counted as loss. Linux doubles this and caps it at net.core.rmem_max.
 */
const RECEIVE_BUFFER_BYTES = 1024 * 1024;

let installed = false;

/** Idempotent; call before creating a mediasoup-client Device with handlerName 'Chrome111'. */
export function installWeriftGlobals(): void {
  if (installed) return;
  installed = true;
  const g = globalThis as Record<string, unknown>;
  g['RTCPeerConnection'] = LoadTestPeerConnection;
  g['RTCSessionDescription'] = werift.RTCSessionDescription;
  g['RTCIceCandidate'] = werift.RTCIceCandidate;
  g['MediaStream'] = werift.MediaStream;
  g['MediaStreamTrack'] = werift.MediaStreamTrack;
  g['RTCRtpTransceiver'] = werift.RTCRtpTransceiver;

  // `init` binds the socket; it is private in werift's types, so reach it untyped.
  const proto = werift.UdpTransport.prototype as unknown as { init(this: werift.UdpTransport): Promise<void> };
  const init = proto.init;
  proto.init = async function (this: werift.UdpTransport): Promise<void> {
    await init.call(this);
    try {
      this.socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
    } catch {
      // Not fatal: the run then shows the kernel's drops (see hostCpu.ts).
    }
  };
}
