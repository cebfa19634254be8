/** Opens a mediasoup transport on the server and wires its client-side events to signaling. */
import type { Device, DtlsParameters, IceCandidate, IceParameters, Transport } from 'mediasoup-client/types';
import type { MediaSource, TransportOptions } from '@tongtang/shared';
import type { SignalClient } from '../signal/SignalClient.ts';

/** How long a transport may stay 'disconnected' before the client restarts its ICE. */
const DISCONNECTED_GRACE_MS = 2_000;

export async function openTransport(
  device: Device,
  signal: SignalClient,
  direction: 'send' | 'recv',
  isClosed: () => boolean,
  /** TURN servers from the join answer: the way out of networks that block UDP or all but 443. */
  iceServers?: RTCIceServer[],
): Promise<Transport> {
  const options: TransportOptions = await signal.request('media:createTransport', { direction });
  const params = {
    id: options.id,
    iceParameters: options.iceParameters as IceParameters,
    iceCandidates: options.iceCandidates as IceCandidate[],
    dtlsParameters: options.dtlsParameters as DtlsParameters,
    iceServers,
  };
  const transport = direction === 'send' ? device.createSendTransport(params) : device.createRecvTransport(params);

  transport.on('connect', ({ dtlsParameters }, done, fail) => {
    signal.request('media:connectTransport', { transportId: transport.id, dtlsParameters }).then(done, fail);
  });
  transport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
    // RoomClient puts the source in appData: the server needs it to route camera vs screen.
    const source = appData.source as MediaSource;
    signal.request('media:produce', { transportId: transport.id, kind, source, rtpParameters })
      .then(({ producerId }) => done({ id: producerId }), fail);
  });
  // A network change (Wi-Fi to cable, VPN) or an outage breaks ICE; new credentials make both
  // ends check again at once. 'failed' takes ~30 s to come, so a path that stays 'disconnected'
  // for a few seconds is restarted too. One restart at a time; a later 'failed' tries again.
  let restarting = false;
  let grace: ReturnType<typeof setTimeout> | undefined;
  const restart = () => {
    if (restarting || isClosed() || transport.closed) return;
    restarting = true;
    signal.request('media:restartIce', { transportId: transport.id })
      .then(({ iceParameters }) => transport.restartIce({ iceParameters: iceParameters as IceParameters }))
      .catch(() => {})
      .finally(() => { restarting = false; });
  };
  transport.on('connectionstatechange', (state) => {
    clearTimeout(grace);
    if (isClosed()) return;
    if (state === 'failed') restart();
    else if (state === 'disconnected') grace = setTimeout(restart, DISCONNECTED_GRACE_MS);
  });
  return transport;
}
