/**
 * One setup of the fan-out benchmark: a lecturer on node 0 and N signaling-only students spread
 * round-robin over the nodes, all in this process; then the lecturer posts chat to everyone, one
 * message at a time, and each student's `chat:posted` is timed from the emit. Emit and receipt are
 * read off the same monotonic clock, so no clock sync is involved.
 */
import { mintToken } from '@tongtang/signaling/tokens';
import { PROTOCOL_VERSION, type Role } from '@tongtang/shared';
import { runPaced, sleep } from '../floor/pace.ts';
import { errorCodeOf, SignalClient } from '@tongtang/protocol-client';
import type { FanoutConfig } from './fanoutArgs.ts';
import type { Broadcast } from './fanoutStats.ts';

const JOIN_TIMEOUT_MS = 30_000;
/** A broadcast still missing receivers after this is given up on (and counted as missing). */
const BROADCAST_TIMEOUT_MS = 5_000;
/** After the joins: let the last participant:joined waves drain before timing anything. */
const SETTLE_MS = 2_000;
/** The server's chat budget refills one message a second (signaling/src/rpc/budget.ts). */
const BUDGET_REFILL_MS = 1_000;

export interface FanoutRun {
  joined: number;
  joinFailures: string[];
  /** Which node each joined student is on (index into the run's URLs). */
  nodeOf: number[];
  broadcasts: Broadcast[];
  /** Sends the server's chat budget refused (then sent again once it refilled): not deliveries missed. */
  refused: number;
}

export interface FanoutHooks {
  signal: AbortSignal;
  log(message: string): void;
  /** Around the broadcasts only (joins excluded), e.g. to meter the servers' CPU. */
  beforeBroadcasts(): void;
  afterBroadcasts(): void;
}

export async function measureFanout(
  urls: string[], secret: string, cfg: Pick<FanoutConfig, 'clients' | 'messages' | 'warmup' | 'gapMs' | 'joinRate'>, hooks: FanoutHooks,
): Promise<FanoutRun> {
  const { signal, log } = hooks;
  const lectureId = `fanout-${Date.now().toString(36)}`;
  const clients: SignalClient[] = [];
  const join = async (url: string, role: Role, subject: string): Promise<SignalClient> => {
    const token = mintToken(secret, { lectureId, role, subject, name: subject, ttlSeconds: 3600 });
    const client = await SignalClient.connect(url, token, { connectTimeoutMs: JOIN_TIMEOUT_MS, requestTimeoutMs: 30_000 });
    clients.push(client);
    await client.request('lecture:join', { protocolVersion: PROTOCOL_VERSION }, JOIN_TIMEOUT_MS);
    return client;
  };
  try {
    const lecturer = await join(urls[0]!, 'lecturer', 'lecturer');
    await lecturer.request('lecture:start', {});

    // Slot i stays student i, so arrivals index the same way whatever order the joins finish in.
    const students: (SignalClient | undefined)[] = new Array(cfg.clients).fill(undefined);
    const joinFailures: string[] = [];
    await runPaced(students.map((_, i) => i), { perSecond: cfg.joinRate, concurrency: 50, signal }, async (i) => {
      try {
        students[i] = await join(urls[i % urls.length]!, 'student', `student-${i + 1}`);
      } catch (err) {
        joinFailures.push(`student-${i + 1}: ${(err as Error).message}`);
      }
    });
    const joinedIdx = students.flatMap((s, i) => (s ? [i] : []));
    log(`${joinedIdx.length}/${cfg.clients} students joined over ${urls.length} node(s)`);
    await sleep(SETTLE_MS);

    let current: { text: string; t0: number; arrivals: Float64Array; pending: number; done: () => void } | undefined;
    joinedIdx.forEach((studentIdx, k) => {
      students[studentIdx]!.on('chat:posted', (m) => {
        const at = performance.now();
        if (!current || m.text !== current.text || !Number.isNaN(current.arrivals[k]!)) return;
        current.arrivals[k] = at - current.t0;
        if (--current.pending === 0) current.done();
      });
    });

    const broadcasts: Broadcast[] = [];
    let refused = 0;
    hooks.beforeBroadcasts();
    for (let n = 0; n < cfg.warmup + cfg.messages && !signal.aborted; n++) {
      const arrivals = new Float64Array(joinedIdx.length).fill(Number.NaN);
      let done = () => {};
      const all = new Promise<void>((resolve) => (done = resolve));
      const text = `fan-out ${n}`;
      const t0 = performance.now();
      current = { text, t0, arrivals, pending: joinedIdx.length, done };
      const ack = lecturer.request('chat:send', { to: 'everyone', text }, BROADCAST_TIMEOUT_MS)
        .then(() => performance.now() - t0, (err: unknown) => (errorCodeOf(err) === 'RATE_LIMITED' ? 'refused' as const : null));
      if ((await Promise.race([ack, all.then(() => 'delivered' as const)])) === 'refused') {
        // Over the lecturer's chat budget: nobody was sent anything. Wait for a token, send it again.
        refused++;
        current = undefined;
        n--;
        await sleep(BUDGET_REFILL_MS);
        continue;
      }
      await Promise.race([all, sleep(BROADCAST_TIMEOUT_MS)]);
      const acked = await ack;
      if (n >= cfg.warmup) broadcasts.push({ ackMs: acked === 'refused' ? null : acked, arrivals });
      if ((n + 1) % 50 === 0) log(`${n + 1}/${cfg.warmup + cfg.messages} broadcasts`);
      await sleep(cfg.gapMs);
    }
    hooks.afterBroadcasts();
    current = undefined;
    return { joined: joinedIdx.length, joinFailures: joinFailures.slice(0, 10), nodeOf: joinedIdx.map((i) => i % urls.length), broadcasts, refused };
  } finally {
    for (const c of clients) c.close();
  }
}
