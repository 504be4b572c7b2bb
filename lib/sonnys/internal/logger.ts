/** The logging surface the SDK needs; `console` fits, so do pino and winston loggers. */
export interface Logger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

const noop = () => {};

/** A library should stay quiet unless asked, so this is the default. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
