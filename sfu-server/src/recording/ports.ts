/** Free loopback UDP port pairs for ffmpeg (RTP on an even port, RTCP on the next). */
import dgram from 'node:dgram';

function bind(port: number): Promise<dgram.Socket | null> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(null);
    });
    socket.bind(port, '127.0.0.1', () => resolve(socket));
  });
}

/**
 * Probes pairs by binding them, then lets go so ffmpeg can bind them. Another process could take
 * the pair in that gap; ffmpeg then fails to bind and the supervisor starts a new segment.
 */
export async function freePortPair(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = 20_000 + 2 * Math.floor(Math.random() * 10_000);
    const rtp = await bind(port);
    if (!rtp) continue;
    const rtcp = await bind(port + 1);
    rtp.close();
    if (!rtcp) continue;
    rtcp.close();
    return port;
  }
  throw new Error('no free UDP port pair for the recorder');
}
