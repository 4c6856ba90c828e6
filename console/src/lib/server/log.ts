import { createLogger, type Logger } from '@aftercare/core';
import { env } from '$env/dynamic/private';

/** The console's server log: the platform's JSON log format, with `component: console`. */
let logger: Logger | undefined;

export function log(): Logger {
  logger ??= createLogger({ level: env.AFTERCARE_LOG_LEVEL || 'info' }).child({ component: 'console' });
  return logger;
}
