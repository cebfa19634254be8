/** Runs one Tongtang node: the SFU workers and the signaling server in this process. */
import os from 'node:os';
import path from 'node:path';
import { MediasoupNode, sfuConfigFromEnv } from '@tongtang/sfu-server';
import { LocalBackplane } from './backplane/LocalBackplane.ts';
import { RedisBackplane } from './backplane/RedisBackplane.ts';
import { configFromEnv } from './config.ts';
import { demoLinks } from './http/app.ts';
import { lecturePayloads, type LectureBackplane } from './lecture/replay/sharedLecture.ts';
import { createLogger } from './logger.ts';
import { createSignalingServer } from './server.ts';
import { lanAddresses, lanTrialDefaults, makeSelfSigned, startupAdvice, turnDefaults } from './startup.ts';
import { startCoturn, type Coturn } from './turn/coturn.ts';

const selfSigned = process.argv.includes('--self-signed') && !process.env.TLS_CERT;
if (selfSigned) {
  const dir = path.join(process.env.TONGTANG_CACHE ?? path.join(os.homedir(), '.cache/tongtang'), 'lan-trial-tls');
  const { certFile, keyFile } = makeSelfSigned(dir, lanAddresses());
  process.env.TLS_CERT = certFile;
  process.env.TLS_KEY = keyFile;
  lanTrialDefaults(process.env);
}
const withTurn = process.argv.includes('--turn');
if (withTurn) turnDefaults(process.env);
const config = configFromEnv();
const log = createLogger(config.logLevel).child({ nodeId: config.nodeId });
let coturn: Coturn | undefined;
if (withTurn) {
  const checkAt = !process.env.TURN_LISTEN_IP || process.env.TURN_LISTEN_IP === '0.0.0.0' ? '127.0.0.1' : process.env.TURN_LISTEN_IP;
  coturn = await startCoturn(process.env, checkAt);
  // Never leave coturn behind, even when start-up fails further down.
  process.once('exit', () => coturn?.process.kill('SIGTERM'));
  log.info({ urls: config.turn?.urls }, 'coturn started (scripts/turn.sh)');
}

// MediasoupNode binds component: 'sfu' itself; binding it here too wrote the key twice.
const media = await MediasoupNode.create(sfuConfigFromEnv(process.env), { logger: log });
// The one place that decides whether this node runs alone or among others (REDIS_URL).
let backplane: LectureBackplane;
if (config.redisUrl) {
  const publicUrl = config.publicUrl
    ?? `${config.tls ? 'https' : 'http'}://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.tls?.httpsPort ?? config.port}`;
  backplane = await RedisBackplane.connect({
    redisUrl: config.redisUrl, prefix: config.redisPrefix, nodeId: config.nodeId, publicUrl, jwtSecret: config.jwtSecret,
  }, media, lecturePayloads, log);
  log.info({ redis: config.redisUrl.replace(/\/\/[^@]*@/, '//***@'), publicUrl }, 'joining the cluster');
} else {
  backplane = new LocalBackplane(config.publicUrl);
}
const server = createSignalingServer(config, media, log, backplane);
const { url } = await server.listen();
log.info({ url, demo: config.demo, cluster: backplane.spansNodes }, 'tongtang listening');

if (config.demo) {
  const lines = demoLinks(config, url).map((l) => `  ${l.role.padEnd(10)} ${l.name}\n             ${l.url}`);
  process.stdout.write(`\nTongtang demo lecture "${config.demoLectureTitle}" is ready.\n`);
  process.stdout.write(`Open ${url}/ for the start page, or use a join link:\n${lines.join('\n')}\n\n`);
}
const advice = startupAdvice(config, process.env, selfSigned);
if (advice) process.stdout.write(`${advice}\n\n`);

// A stray rejection (a Redis hiccup in a background task) is logged, never fatal: the
// participants already connected keep being served.
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  await server.close();
  await media.close();
  await coturn?.stop();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
