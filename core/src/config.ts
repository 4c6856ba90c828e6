import { z } from 'zod';
import { ConfigError } from './errors.ts';
import { numberFromText } from './number-flags.ts';
import { brokerUrlSchemes, httpUrlSchemes, isUrlWith, schemeList } from './urls.ts';

/**
 * A number variable, `fallback` when unset (`loadConfig` counts a blank one as unset); otherwise the
 * number as a person types it, as the CLIs read the same variables (`numberFromText`), so `0x10` or
 * `1e3` is refused with `words` rather than read as 16 or 1000.
 */
const numberVar = (whole: boolean, words: string, fallback: number) =>
  numberFromText(whole, words).default(fallback);
const port = (fallback: number) =>
  numberVar(true, 'must be a port number (0–65535; 0 picks a free port)', fallback).pipe(
    z.number().min(0, 'must be 0–65535').max(65535, 'must be 0–65535'),
  );
const positiveInt = (fallback: number) =>
  numberVar(true, 'must be a positive whole number', fallback).pipe(z.number().positive('must be positive'));
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));
/** A URL with one of `schemes` (without "://") that names a host; `message` says which are taken. */
const urlWith = (schemes: readonly string[], message: string) =>
  optionalString.pipe(
    z
      .string()
      .refine((value) => isUrlWith(value, schemes), message)
      .optional(),
  );

/**
 * Whether `value` can be a listener's address: an IPv4 or IPv6 address or a host name
 * ("localhost", "aftercare.example.net"). Digits and dots only must be an IPv4 address.
 */
export function isHostOrAddress(value: string): boolean {
  if (z.ipv4().safeParse(value).success || z.ipv6().safeParse(value).success) return true;
  return !/^[\d.]+$/.test(value) && z.hostname().safeParse(value).success;
}

/** pino's levels, and `silent`. */
export const logLevelSchema = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** Whether this JavaScript engine knows `zone` as a time zone ("Asia/Kolkata", "Europe/Berlin", "UTC"). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Every environment variable the platform reads, in one place. Parsed once at start into a frozen
 * object that is handed to each part; nothing else reads `process.env`.
 */
export const envSchema = z.object({
  AFTERCARE_DATA_DIR: z.string().min(1).default('./data'),
  AFTERCARE_HOST: z
    .string()
    .refine(
      isHostOrAddress,
      'must be an IP address or a host name, e.g. "127.0.0.1", "0.0.0.0" or "localhost"',
    )
    .default('127.0.0.1'),
  AFTERCARE_HTTP_PORT: port(3000),
  AFTERCARE_MQTT_PORT: port(1883),
  AFTERCARE_MQTT_WS_PORT: port(8083),
  AFTERCARE_MQTTS_PORT: port(8883),
  AFTERCARE_WSS_PORT: port(8084),
  AFTERCARE_TLS_CERT: optionalString,
  AFTERCARE_TLS_KEY: optionalString,
  AFTERCARE_MQTT_URL: urlWith(
    brokerUrlSchemes,
    `must be an ${schemeList(brokerUrlSchemes)} URL naming the broker, e.g. "mqtt://broker.example.net:1883"`,
  ),
  AFTERCARE_MQTT_USERNAME: optionalString,
  AFTERCARE_MQTT_PASSWORD: optionalString,
  /** Secret of the platform's own `aftercare-ingest` account on the embedded broker, for external ingest workers. */
  AFTERCARE_INGEST_SECRET: optionalString,
  /** MQTT 5 shared-subscription group of the ingest workers; `none` subscribes plainly (brokers without MQTT 5). */
  AFTERCARE_INGEST_SHARE_GROUP: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "_" or "-" (or "none")')
    .default('aftercare-ingest')
    .transform((v) => (v === 'none' ? null : v)),
  /**
   * The ingest worker's MQTT client id. It must survive restarts: the broker keeps the worker's
   * persistent session (and its unacknowledged messages) under it. Default: aftercare-ingest-{hostname}.
   */
  AFTERCARE_INGEST_CLIENT_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "_" or "-"')
    .optional(),
  AFTERCARE_INGEST_BATCH_SAMPLES: positiveInt(5000),
  AFTERCARE_INGEST_MAX_PENDING_SAMPLES: positiveInt(200_000),
  AFTERCARE_ADMIN_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  AFTERCARE_INFLUX_URL: urlWith(
    httpUrlSchemes,
    `must be an ${schemeList(httpUrlSchemes)} URL naming the server, e.g. "http://localhost:8086"`,
  ),
  AFTERCARE_INFLUX_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .default('aftercare'),
  AFTERCARE_INFLUX_TOKEN: optionalString,
  AFTERCARE_INFLUX_USERNAME: optionalString,
  AFTERCARE_INFLUX_PASSWORD: optionalString,
  AFTERCARE_RETENTION_DAYS: positiveInt(30),
  AFTERCARE_DEVICE_MSGS_PER_S: positiveInt(50),
  AFTERCARE_DEVICE_CONNECTS_PER_MIN: positiveInt(30),
  // 200 devices give the demo's 20 technicians a believable day's work (about 25 jobs on a weekday);
  // with 50 the dispatch board showed 6.
  AFTERCARE_SIM_DEVICES: numberVar(true, 'must be a whole number from 0 to 100000', 200).pipe(
    z
      .number()
      .min(0, 'must be a whole number from 0 to 100000')
      .max(100_000, 'must be a whole number from 0 to 100000'),
  ),
  // The simulator's seeds are 32-bit, as `pnpm sim run --seed` takes them.
  AFTERCARE_SIM_SEED: numberVar(true, 'must be a whole number from -2147483648 to 4294967295', 1).pipe(
    z
      .number()
      .min(-2_147_483_648, 'must be a whole number from -2147483648 to 4294967295')
      .max(4_294_967_295, 'must be a whole number from -2147483648 to 4294967295'),
  ),
  AFTERCARE_SIM_SPEED: numberVar(false, 'must be a number above 0, at most 100000', 60).pipe(
    z
      .number()
      .positive('must be a number above 0, at most 100000')
      .max(100_000, 'must be a number above 0, at most 100000'),
  ),
  // Below a millisecond the simulator's clock would round an interval to nothing.
  AFTERCARE_SIM_INTERVAL_S: numberVar(false, 'must be a number of seconds, at least 0.001', 60).pipe(
    z.number().min(0.001, 'must be a number of seconds, at least 0.001'),
  ),
  /** Cron expression (node-cron, with optional seconds field) of the risk scoring job. */
  AFTERCARE_SCORING_CRON: z
    .string()
    .regex(/^(\S+\s+){4,5}\S+$/, 'must be a cron expression of 5 or 6 fields, e.g. "*/5 * * * *"')
    .default('*/5 * * * *'),
  /** Days ahead the failure models look: the H of "probability of failure in the next H days". */
  AFTERCARE_RISK_HORIZON_DAYS: positiveInt(14),
  /** Devices scored per model call; bounds the scoring run's memory. */
  AFTERCARE_SCORING_BATCH: positiveInt(512),
  /** Password of the demo accounts `pnpm start` seeds; generated and printed when unset. */
  AFTERCARE_DEMO_PASSWORD: optionalString.pipe(
    z.string().min(12, 'must be at least 12 characters, as for any account').optional(),
  ),
  /**
   * IANA time zone the console shows dates and clock times in: the region the service works in.
   * Unset: the host's zone, except that `pnpm start` shows its demo region's (Asia/Kolkata).
   */
  AFTERCARE_TIMEZONE: optionalString.pipe(
    z
      .string()
      .refine(isTimeZone, 'must be an IANA time zone such as "Asia/Kolkata", "Europe/Berlin" or "UTC"')
      .optional(),
  ),
  /**
   * Predictive work that is not urgent (P3, P4) waits for the evening route fill to join a technician
   * working nearby, instead of being booked when its ticket opens. Off by default: it drives less but
   * visits later (see the backtest's `--predictive-route-fill`).
   */
  AFTERCARE_PREDICTIVE_ROUTE_FILL: z
    .enum(['true', 'false'], { message: 'must be "true" or "false"' })
    .default('false')
    .transform((v) => v === 'true'),
  /** Lifetime of a login session token. */
  AFTERCARE_SESSION_HOURS: positiveInt(12),
  AFTERCARE_LOG_LEVEL: logLevelSchema.default('info'),
});

export type Config = Readonly<z.infer<typeof envSchema>>;

export interface LoadConfigOptions {
  /**
   * node-cron's check of AFTERCARE_SCORING_CRON: throws when node-cron would refuse the expression,
   * its message saying why (the models' `assertScoringCron`). Passed in by the wiring: core does not
   * depend on node-cron, the console bundles core. Without it only the number of fields is checked.
   */
  checkCron?: (expression: string) => void;
}

/**
 * Parses the environment; a bad value stops the start with one line naming the variable. A variable
 * that is set but empty (or blank) counts as unset: `AFTERCARE_HTTP_PORT=` means the default port.
 */
export function loadConfig(
  env: Record<string, string | undefined> = {},
  options: LoadConfigOptions = {},
): Config {
  const relevant = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k.startsWith('AFTERCARE_') && v !== undefined && v.trim() !== ''),
  );
  const parsed = envSchema.safeParse(relevant);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const got = env[name];
    // Tokens, passwords and URLs that may carry credentials are never echoed back.
    const secret = /TOKEN|PASSWORD|SECRET|URL/.test(name);
    const shown = got === undefined ? '' : secret ? ' (value not shown)' : ` (got "${got}")`;
    throw new ConfigError(`${name}: ${issue.message}${shown}`);
  }
  const config = parsed.data;
  if (Boolean(config.AFTERCARE_TLS_CERT) !== Boolean(config.AFTERCARE_TLS_KEY)) {
    throw new ConfigError('AFTERCARE_TLS_CERT and AFTERCARE_TLS_KEY must be set together');
  }
  if (options.checkCron) {
    try {
      options.checkCron(config.AFTERCARE_SCORING_CRON);
    } catch (err) {
      throw new ConfigError(`AFTERCARE_SCORING_CRON: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return Object.freeze(config);
}
