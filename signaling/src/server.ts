/** Assembles the signaling server: express + Socket.IO on one HTTP port, wired to a media node. */
import type http from 'node:http';
import type https from 'node:https';
import { Server } from 'socket.io';
import { AppError, MAX_REQUEST_BYTES, type ClientToServerEvents, type MediaNode, type ServerToClientEvents } from '@tongtang/shared';
import { verifyToken } from './auth/tokens.ts';
import type { SignalingConfig } from './config.ts';
import { handlers } from './handlers/index.ts';
import { createApp } from './http/app.ts';
import { createWebListener } from './http/web.ts';
import { iceServersFor } from './turn/credentials.ts';
import { Lectures } from './lecture/room/Lectures.ts';
import { broadcastAttendance } from './lecture/room/effects.ts';
import type { Logger } from './logger.ts';
import { wireMediaEvents } from './mediaEvents.ts';
import type { InterNodeEvents } from './backplane/LectureBus.ts';
import { LocalBackplane } from './backplane/LocalBackplane.ts';
import type { LectureBackplane } from './lecture/replay/sharedLecture.ts';
import { Recordings } from './recording/Recordings.ts';
import { ConnectionGate } from './rpc/connectionGate.ts';
import { bindDispatcher } from './rpc/dispatcher.ts';
import { joinOnSocket, type SocketData } from './rpc/socket.ts';

export type TypedServer = Server<ClientToServerEvents, ServerToClientEvents, InterNodeEvents, SocketData>;

export interface SignalingServer {
  http: http.Server | https.Server;
  io: TypedServer;
  lectures: Lectures;
  /** `redirectPort`: the plain-HTTP port that redirects to HTTPS, when there is one. */
  listen(): Promise<{ port: number; url: string; redirectPort?: number }>;
  close(): Promise<void>;
}

/**
 * `backplane`: what this node shares with the rest of the deployment, chosen by the caller
 * (main.ts); by default the node runs alone (in-memory state, nobody else to tell).
 */
export function createSignalingServer(
  config: SignalingConfig, media: MediaNode, log: Logger, backplane: LectureBackplane = new LocalBackplane(config.publicUrl),
): SignalingServer {
  const nodeId = backplane.nodeId;
  const ready = () => media.health().ready && backplane.healthy();
  const app = createApp(config, media, {
    ready,
    nodes: () => backplane.alive(),
    internalRoutes: backplane.routes,
    spansNodes: backplane.spansNodes,
    // Read at scrape time, once `lectures` below exists.
    metrics: {
      lectureIds: () => lectures.all().map((room) => room.id),
      participants: (id) => lectures.get(id)?.size ?? 0,
    },
    room: (id) => lectures.get(id),
  });
  // HTTPS when given a certificate (browsers give the camera only to secure pages).
  const web = createWebListener(app, config.tls);
  const httpServer = web.server;
  const io: TypedServer = new Server(httpServer, {
    // Twice MAX_REQUEST_BYTES: a request somewhat too large is answered PAYLOAD_TOO_LARGE; a
    // frame far beyond anything the protocol needs closes the connection before it is parsed
    // (a 1 MB frame used to be parsed and sized in full, for every one a flooder sent).
    maxHttpBufferSize: 2 * MAX_REQUEST_BYTES,
    pingInterval: 10_000,
    pingTimeout: 10_000,
    serveClient: false,
  });
  const bus = backplane.attach(io);
  const recordings = new Recordings(media, { dir: config.recordingsDir, automatic: config.recordAutomatically }, log.child({ component: 'recordings' }));
  const lectures = new Lectures(
    // A logger that already carries nodeId (main.ts binds it) must not get it twice.
    { media, backplane, bus, log: 'nodeId' in log.bindings() ? log : log.child({ nodeId }), recordings },
    {
      maxSpeakers: config.maxSpeakers,
      tierDefaults: config.tierDefaults,
      leaveGraceMs: config.leaveGraceMs,
      immediatePlayoutRoles: config.immediatePlayoutRoles,
      idleMs: 30 * 60_000,
      titleOf: (id) => (id === config.demoLectureId ? config.demoLectureTitle : id),
    },
  );
  wireMediaEvents(media, lectures, log);
  // Repairs open lectures from the store now and then (lost bus messages, dead nodes), where there is anything to repair.
  const stopMaintenance = backplane.maintain((alive, judgeDeadNodes) => lectures.maintain(alive, judgeDeadNodes));

  const gate = new ConnectionGate();
  io.use((socket, next) => {
    try {
      socket.data.claims = verifyToken(config.jwtSecret, socket.handshake.auth?.token);
      const refusal = gate.admit(socket.data.claims.sub);
      if (refusal) throw new AppError('RATE_LIMITED', refusal);
      next();
    } catch (err) {
      const appErr = err instanceof AppError ? err : new AppError('TOKEN_INVALID', 'the join token is not valid');
      const refusal = new Error(appErr.code) as Error & { data?: unknown };
      refusal.data = { code: appErr.code, message: appErr.message };
      next(refusal);
    }
  });

  io.on('connection', (socket) => {
    bindDispatcher(socket, {
      onFlood: () => gate.penalise(socket.data.claims.sub),
      handlers,
      // Each join answer carries a fresh, time-limited TURN credential when TURN is on.
      join: async (s) => ({ ...(await joinOnSocket(s, lectures, log)), iceServers: iceServersFor(config.turn, s.data.claims.sub) }),
      roomOf: () => lectures.get(socket.data.claims.lec),
      requestsPerSecond: config.requestsPerSecond,
      log: log.child({ socketId: socket.id }),
    });
    socket.on('disconnect', (reason) => {
      const session = socket.data.session;
      if (!session) return;
      const room = lectures.get(socket.data.claims.lec);
      if (!room) return;
      // A page that said goodbye (Leave, a replaced tab) leaves now; a connection that dropped
      // (a campus link down, a ping timeout) keeps its place for a while: its page rejoins by itself.
      const dropped = reason !== 'client namespace disconnect' && reason !== 'server namespace disconnect' && reason !== 'server shutting down';
      session.log.info({ reason, keptMs: dropped ? config.leaveGraceMs : 0 }, 'left');
      void room
        .detach(session, Date.now(), dropped ? config.leaveGraceMs : 0)
        .then(() => {
          broadcastAttendance(room);
          lectures.releaseIfIdle(room);
        })
        .catch((err) => session.log.error({ err }, 'cleanup after disconnect failed'));
    });
  });

  let closed = false;
  return {
    http: httpServer,
    io,
    lectures,
    async listen() {
      const listening = await web.listen(config.host, config.port);
      await backplane.register(() => lectures.sessionCount());
      return listening;
    },
    async close() {
      if (closed) return;
      closed = true;
      stopMaintenance();
      // Only this node's sockets: with the cluster adapter, io.disconnectSockets() would reach
      // every node and drop every participant of the cluster.
      io.local.disconnectSockets(true);
      web.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await lectures.close();
      await backplane.close();
    },
  };
}
