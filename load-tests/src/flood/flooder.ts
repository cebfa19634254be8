/** The abusive client of bench:flood: sends as fast as it can, reconnecting whenever it is dropped. */
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION } from '@tongtang/shared';

export type FloodKind = 'requests' | 'frames';

export interface FloodStats {
  sent: number;
  answered: number;
  drops: number;
}

const BIG = 'x'.repeat(1_000_000);

export async function flood(url: string, token: string, kind: FloodKind, stop: AbortSignal): Promise<FloodStats> {
  const stats: FloodStats = { sent: 0, answered: 0, drops: 0 };
  while (!stop.aborted) {
    const socket: Socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    const connected = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      socket.once('connect_error', () => resolve(false));
    });
    if (!connected) {
      socket.close();
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    socket.emit('lecture:join', { protocolVersion: PROTOCOL_VERSION }, () => undefined);
    const dropped = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    let open = true;
    void dropped.then(() => { open = false; stats.drops++; });
    // Keep the socket's send buffer full without letting it grow without bound.
    while (open && !stop.aborted) {
      for (let i = 0; i < (kind === 'frames' ? 1 : 200); i++) {
        stats.sent++;
        if (kind === 'frames') socket.emit('chat:send', { to: 'lecturer', text: BIG }, () => stats.answered++);
        else socket.emit('hand:lower', {}, () => stats.answered++);
      }
      await new Promise((r) => setImmediate(r));
    }
    socket.close();
  }
  return stats;
}
