import { type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger };

/** Secrets never reach the log, whatever object they travel in. */
const redactPaths = [
  'password',
  'secret',
  'token',
  '*.password',
  '*.secret',
  '*.token',
  'req.headers.authorization',
  'headers.authorization',
];

export function createLogger(
  options: { level?: string; name?: string; destination?: NodeJS.WritableStream; pretty?: boolean } = {},
): Logger {
  const opts: LoggerOptions = {
    level: options.level ?? 'info',
    base: { app: options.name ?? 'aftercare' },
    redact: { paths: redactPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.destination) return pino(opts, options.destination as pino.DestinationStream);
  // A person at a terminal reads lines, not JSON; anything piped or collected keeps the JSON.
  if (options.pretty) {
    return pino({
      ...opts,
      transport: {
        target: 'pino-pretty',
        options: {
          colorize: true,
          singleLine: true,
          translateTime: 'SYS:HH:MM:ss',
          ignore: 'pid,hostname,app',
        },
      },
    });
  }
  return pino(opts);
}

/** A logger that drops everything, for tests and library defaults. */
export const silentLogger: Logger = pino({ level: 'silent' });
