import { z } from 'zod';

/**
 * Device ids appear in MQTT topics, InfluxDB tags, URLs and file names, so they are kept to a
 * character set that needs no escaping anywhere and can never contain topic wildcards or separators.
 */
export const deviceIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    'must be 1–64 characters of letters, digits, "_" or "-", starting with a letter or digit',
  );
export type DeviceId = z.infer<typeof deviceIdSchema>;

/** snake_case, 1–64 characters: metric names and device command names. */
export const snakeCaseName = /^[a-z][a-z0-9_]{0,63}$/;

export const metricNameSchema = z
  .string()
  .regex(snakeCaseName, 'metric names are snake_case: a lowercase letter, then up to 63 of a-z, 0-9, "_"');

/**
 * A device component as a filter names it (`compressor`, `fan_motor`): the same rule as a metric's
 * name, but a caller who typed "Compressor" is told about components, not metrics.
 */
export const componentNameSchema = z
  .string()
  .regex(
    snakeCaseName,
    'component names are snake_case, e.g. compressor: a lowercase letter, then up to 63 of a-z, 0-9, "_"',
  );
