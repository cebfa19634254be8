/**
 * The slice of a structured logger the SFU uses. pino fits it as is, so the host process passes
 * its own logger in and the SFU does not depend on a logging library.
 */
export interface SfuLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  child(bindings: object): SfuLogger;
}

/** Default: tests and embedders that do not care stay quiet. */
export const silentLogger: SfuLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};
