/** Runs one Tongtang node: the SFU workers and the signaling server in this process. */
import { MediasoupNode, sfuConfigFromEnv } from '../../sfu-server/src/index.ts';
import { configFromEnv } from './config.ts';
import { demoLinks } from './http/app.ts';
import { createLogger } from './logger.ts';
import { createSignalingServer } from './server.ts';

const config = configFromEnv();
const log = createLogger(config.logLevel);

const media = await MediasoupNode.create(sfuConfigFromEnv(process.env), { logger: log.child({ component: 'sfu' }) });
const server = createSignalingServer(config, media, log);
const { url } = await server.listen();
log.info({ url, demo: config.demo }, 'tongtang listening');

if (config.demo) {
  const lines = demoLinks(config, url).map((l) => `  ${l.role.padEnd(10)} ${l.name}\n             ${l.url}`);
  process.stdout.write(`\nTongtang demo lecture "${config.demoLectureTitle}" is ready.\n`);
  process.stdout.write(`Open ${url}/ for the start page, or use a join link:\n${lines.join('\n')}\n\n`);
}

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  await server.close();
  await media.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
