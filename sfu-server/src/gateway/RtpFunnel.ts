/**
 * One fixed local address for everything an ingest's ffmpeg sends to one PlainTransport. A comedia
 * PlainTransport locks onto the address of the first packet it receives and drops packets from any
 * other (mediasoup's PlainTransport: "ignoring RTP packet from unknown IP:port"), yet a restarted
 * ffmpeg sends from new ports, and a simulcast camera's layers leave ffmpeg from one port each.
 * The funnel's socket lives as long as the ingest, so the transport always hears the same address.
 * What the transport sends back (RTCP: receiver reports, PLI) is dropped: ffmpeg acts on none of it.
 */
import dgram from 'node:dgram';

const LOOPBACK = '127.0.0.1';

export class RtpFunnel {
  readonly #socket: dgram.Socket;
  readonly #target: number;

  private constructor(socket: dgram.Socket, target: number) {
    this.#socket = socket;
    this.#target = target;
    socket.on('message', (packet, from) => {
      if (from.port === this.#target && from.address === LOOPBACK) return; // the transport's own RTCP
      socket.send(packet, this.#target, LOOPBACK);
    });
    // A send to a transport that closed under us is not worth a crash: the ingest closes too.
    socket.on('error', () => undefined);
  }

  /** A funnel on a free loopback port forwarding to the transport listening on `target`. */
  static async open(target: number): Promise<RtpFunnel> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, LOOPBACK, () => resolve());
    });
    return new RtpFunnel(socket, target);
  }

  /** Where ffmpeg sends (RTP and RTCP alike). */
  get port(): number {
    return this.#socket.address().port;
  }

  close(): void {
    try {
      this.#socket.close();
    } catch {
      // closed already
    }
  }
}
