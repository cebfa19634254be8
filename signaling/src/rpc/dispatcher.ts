/**
 * The edge of the server: every incoming event goes through here. It checks the name, the size
 * and the schema, the rate, that the sender has joined and that its role allows the request,
 * then runs the handler and acknowledges success-with-data or error-with-code.
 */
import {
  AppError, can, isRequestName, MAX_REQUEST_BYTES, parseRequest, type Ack, type Action, type JoinResponse,
  type RequestName, type RequestOf, type ResponseMap, type WireError,
} from '@tongtang/shared';
import type { Logger } from '../logger.ts';
import type { LectureRoom } from '../lecture/room/LectureRoom.ts';
import type { Session } from '../lecture/room/Session.ts';
import type { TypedSocket } from './socket.ts';
import { toWireError } from './errors.ts';
import { RequestBudget, type Admission } from './budget.ts';

export interface RequestContext {
  room: LectureRoom;
  session: Session;
  now: number;
}

export interface HandlerSpec<N extends RequestName> {
  /** Coarse role check done before the handler; finer rules live in the handler. */
  action?: Action;
  handle(ctx: RequestContext, payload: RequestOf<N>): Promise<ResponseMap[N]> | ResponseMap[N];
}

export type JoinedRequest = Exclude<RequestName, 'lecture:join'>;
export type HandlerTable = { [N in JoinedRequest]: HandlerSpec<N> };

export interface DispatcherDeps {
  handlers: HandlerTable;
  join(socket: TypedSocket): Promise<JoinResponse>;
  roomOf(session: Session): LectureRoom | undefined;
  requestsPerSecond: number;
  log: Logger;
  /** Called when the connection is dropped for flooding (the gate keeps it out for a while). */
  onFlood?: () => void;
}

type AnyAck = (res: Ack<unknown>) => void;

export function bindDispatcher(socket: TypedSocket, deps: DispatcherDeps): void {
  const budget = new RequestBudget(deps.requestsPerSecond);
  socket.onAny((event: unknown, ...args: unknown[]) => {
    if (socket.disconnected) return;
    const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as AnyAck) : undefined;
    const name = typeof event === 'string' ? event : String(event);
    // The budget comes first and costs a few comparisons: a flood is refused before any parsing.
    if (refused(budget.admit(), name, ack)) return;
    if (!ack) {
      deps.log.debug({ event: name }, 'event without acknowledgement ignored');
      return;
    }
    void handle(socket, name, args[0], deps, (n) => !refused(budget.admitFanout(n), n, undefined)).then((res) => {
      if (!socket.disconnected) ack(res);
    });
  });

  /** Answers a refusal (or drops the connection after too many); false when admitted. */
  function refused(admission: Admission, name: string, ack: AnyAck | undefined): boolean {
    if (admission.ok) return false;
    if (admission.drop) {
      deps.log.warn({ event: name.slice(0, 64) }, 'connection dropped: it kept sending past its budget');
      deps.onFlood?.();
      socket.disconnect(true);
    } else {
      ack?.({ ok: false, error: admission.error });
    }
    return true;
  }
}

async function handle(
  socket: TypedSocket, name: string, payload: unknown, deps: DispatcherDeps, fanoutAllowed: (name: string) => boolean,
): Promise<Ack<unknown>> {
  const fail = (error: WireError): Ack<unknown> => ({ ok: false, error });
  if (!isRequestName(name)) return fail({ code: 'UNKNOWN_REQUEST', message: `unknown request "${name.slice(0, 64)}"` });
  if (approximateSize(payload) > MAX_REQUEST_BYTES) {
    return fail({ code: 'PAYLOAD_TOO_LARGE', message: `requests are limited to ${MAX_REQUEST_BYTES} bytes` });
  }
  const parsed = parseRequest(name, payload);
  if (!parsed.ok) return fail({ code: 'BAD_REQUEST', message: `invalid ${name} request`, issues: parsed.issues.slice(0, 10) });
  if (!fanoutAllowed(name)) return fail({ code: 'RATE_LIMITED', message: `too many ${name} requests; slow down` });

  const session = socket.data.session;
  const log = session?.log ?? deps.log;
  try {
    if (name === 'lecture:join') return { ok: true, data: await deps.join(socket) };
    if (!session || session.closed) throw new AppError('NOT_JOINED', 'join the lecture first');
    const room = deps.roomOf(session);
    if (!room) throw new AppError('NOT_JOINED', 'the lecture is no longer open');
    const spec = deps.handlers[name] as HandlerSpec<typeof name>;
    if (spec.action && !can(session.participant.role, spec.action)) {
      throw new AppError('FORBIDDEN', `a ${session.participant.role} may not ${describe(name)}`);
    }
    const data = await spec.handle({ room, session, now: Date.now() }, parsed.value as never);
    return { ok: true, data };
  } catch (err) {
    return fail(toWireError(err, log, name));
  }
}

function describe(name: RequestName): string {
  const [domain, verb] = name.split(':');
  return `${verb} (${domain})`;
}

/** Byte size of the JSON payload; anything that cannot be serialised counts as too large. */
function approximateSize(payload: unknown): number {
  if (payload === undefined) return 0;
  try {
    return Buffer.byteLength(JSON.stringify(payload) ?? '');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
