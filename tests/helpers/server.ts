/** Starts a real Tongtang node (mediasoup workers + signaling) on loopback for a test file. */
import { MediasoupNode, sfuConfigFromEnv } from '@tongtang/sfu-server';
import { mintToken, type MintOptions } from '../../signaling/src/auth/tokens.ts';
import { configFromEnv, type SignalingConfig } from '../../signaling/src/config.ts';
import { createLogger } from '../../signaling/src/logger.ts';
import { createSignalingServer, type SignalingServer } from '../../signaling/src/server.ts';

export interface TestNode {
  url: string;
  /** The plain-HTTP port redirecting to HTTPS, when the test configured one. */
  redirectPort?: number;
  config: SignalingConfig;
  media: MediasoupNode;
  server: SignalingServer;
  token(opts: Omit<MintOptions, 'lectureId'> & { lectureId?: string }): string;
  close(): Promise<void>;
}

export async function startTestNode(overrides: Partial<SignalingConfig> = {}, env: NodeJS.ProcessEnv = {}): Promise<TestNode> {
  const config: SignalingConfig = {
    ...configFromEnv({ JWT_SECRET: 'test-secret', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' }, []),
    host: '127.0.0.1',
    port: 0,
    ...overrides,
  };
  // Port 0: the worker picks free media ports, so test files can run side by side.
  const media = await MediasoupNode.create(sfuConfigFromEnv({
    SFU_WORKERS: '1', SFU_LISTEN_IP: '127.0.0.1', SFU_RTC_PORT: '0', ...env,
  }));
  const server = createSignalingServer(config, media, createLogger(config.logLevel));
  // https:// when the test gives a certificate; the host is the address it listens on.
  const { url, redirectPort } = await server.listen();
  return {
    url,
    redirectPort,
    config,
    media,
    server,
    token: (opts) => mintToken(config.jwtSecret, { lectureId: 'lec-1', ...opts }),
    async close() {
      await server.close();
      await media.close();
    },
  };
}
