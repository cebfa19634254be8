/** Test-only helpers for the integration tests against real mediasoup workers. */
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';
import { expect } from 'vitest';
import { AppError, type ErrorCode, type MediaNode, type MediaNodeEvents } from '@tongtang/shared';

// Fail loudly rather than skip: a missing binary must not turn the SFU tests green.
if (!process.env['MEDIASOUP_WORKER_BIN']) {
  throw new Error('MEDIASOUP_WORKER_BIN is not set: run `bash scripts/build-mediasoup-worker.sh` and export its last line');
}

/** The real mediasoup objects created in this process, by id, to assert on their actual state. */
export interface MediasoupObjects {
  consumers: Map<string, ms.Consumer>;
  producers: Map<string, ms.Producer>;
  /** The worker pid behind each transport id (pipe transports included). */
  transportWorkerPid: Map<string, number>;
  /** Every transport, pipes to other nodes included (their appData names the remote node). */
  transports: Map<string, ms.Transport>;
}

/** Call before creating the node: it hooks mediasoup's global observer. */
export function observeMediasoup(): MediasoupObjects {
  const seen: MediasoupObjects = { consumers: new Map(), producers: new Map(), transportWorkerPid: new Map(), transports: new Map() };
  mediasoup.observer.on('newworker', (worker) => {
    worker.observer.on('newrouter', (router) => {
      router.observer.on('newtransport', (transport) => {
        seen.transportWorkerPid.set(transport.id, worker.pid);
        seen.transports.set(transport.id, transport);
        transport.observer.on('newconsumer', (c) => seen.consumers.set(c.id, c));
        transport.observer.on('newproducer', (p) => seen.producers.set(p.id, p));
      });
    });
  });
  return seen;
}

/** Resolves with the next matching event, or fails after `timeoutMs`. */
export function nextEvent<E extends keyof MediaNodeEvents>(
  node: MediaNode, event: E, match: (payload: MediaNodeEvents[E]) => boolean = () => true, timeoutMs = 5000,
): Promise<MediaNodeEvents[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      node.off(event, listener);
      reject(new Error(`no ${event} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: MediaNodeEvents[E]): void => {
      if (!match(payload)) return;
      clearTimeout(timer);
      node.off(event, listener);
      resolve(payload);
    };
    node.on(event, listener);
  });
}

/** The lifecycle events a node emits (recording failures and gateway health are their own tests' business). */
type LifecycleEvent = Exclude<keyof MediaNodeEvents, 'recordingFailed' | 'sourceHealth' | 'consumerLayers'>;

/** Records every lifecycle event the node emits. */
export function recordEvents(node: MediaNode): { [E in LifecycleEvent]: MediaNodeEvents[E][] } {
  const log = { producerClosed: [], consumerClosed: [], peersLostMedia: [] } as { [E in LifecycleEvent]: MediaNodeEvents[E][] };
  node.on('producerClosed', (e) => log.producerClosed.push(e));
  node.on('consumerClosed', (e) => log.consumerClosed.push(e));
  node.on('peersLostMedia', (e) => log.peersLostMedia.push(e));
  return log;
}

/** Asserts the promise rejects with an AppError carrying one of `codes` (never a raw error). */
export async function expectAppError(promise: Promise<unknown>, ...codes: ErrorCode[]): Promise<AppError> {
  const err: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect(codes).toContain((err as AppError).code);
  return err as AppError;
}

export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
