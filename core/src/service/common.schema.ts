import { z } from 'zod';
import { instantParamSchema, MAX_INSTANT_MS } from '../instant.ts';

/**
 * Shared pieces of the service-operations schemas. Ids of service records follow the device-id
 * rule (URL- and log-safe); instants are epoch milliseconds; money is integer cents.
 */
export const recordIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    'must be 1–64 letters, digits, "_" or "-", starting with a letter or digit',
  );

/** An instant as epoch milliseconds (UTC), from 1970 to the end of the year 9999 (what dates can show). */
export const epochMsSchema = z.number().int().min(0).max(MAX_INSTANT_MS);

/** An instant in a query string, as epoch milliseconds: the forms of `instantForms` (instant.ts). */
export const epochMsParamSchema = instantParamSchema;

/** Money in the smallest currency unit. */
export const centsSchema = z.number().int().min(0).max(1_000_000_000);

export const latSchema = z.number().min(-90).max(90);
export const lonSchema = z.number().min(-180).max(180);

export const geoPointSchema = z.strictObject({ lat: latSchema, lon: lonSchema });
export type GeoPoint = z.infer<typeof geoPointSchema>;

export const idParamsSchema = z.strictObject({ id: recordIdSchema });

/** `?limit=&offset=` of every list endpoint. */
export const pageQueryShape = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
};

/** One page of a list: the items, how many match in all, and the page asked for. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  });
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** Free text a person wrote (names, notes, reasons): trimmed, never empty. */
export const textSchema = (max: number) => z.string().trim().min(1).max(max);
