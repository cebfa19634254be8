/** The SFU package: a MediaNode backed by mediasoup. Signaling only needs MediasoupNode and the config. */
export { MediasoupNode, type MediasoupNodeOptions } from './MediasoupNode.ts';
export { sfuConfig, sfuConfigFromEnv, DEFAULT_SFU_CONFIG, WORKER_LOG_LEVELS, type SfuConfig, type WorkerLogLevel } from './config.ts';
export { MEDIA_CODECS } from './codecs.ts';
export { silentLogger, type SfuLogger } from './logger.ts';
