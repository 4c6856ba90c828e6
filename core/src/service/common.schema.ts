import { z } from 'zod';
import { instantParamSchema, MAX_INSTANT_MS } from '../instant.ts';
import { numberForm } from '../number-flags.ts';

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

// The numbers people type, as the CLIs and the configuration read them.
const wholeNumberText = numberForm(true);
const decimalNumberText = numberForm(false);

/**
 * A number in a query string, read only when written in decimal digits. `z.coerce.number` reads what
 * `Number()` reads: `0x10` as 16, `1e3` as 1000, ` 5 ` as 5 and an empty value as 0, so a typo was
 * answered as some other number instead of a 400. Any other text reaches `inner` as text, which
 * refuses it with its message of what is expected. A default belongs in `.prefault()`, not
 * `.default()`: only a prefault shows in the OpenAPI document, since zod documents a preprocess's input.
 */
function numberParam(text: RegExp, inner: z.ZodNumber) {
  return z.preprocess((raw) => (typeof raw === 'string' && text.test(raw) ? Number(raw) : raw), inner);
}

/** A whole number in a query string, from `min` to `max` (no upper bound when left out). */
export function integerParamSchema(min: number, max?: number) {
  const error =
    max === undefined
      ? `must be a whole number, ${min} or more`
      : `must be a whole number between ${min} and ${max}`;
  // Each check stops at its failure, so a refused value gets one message, not the same one twice.
  const inner = z.number({ error }).int({ error, abort: true }).min(min, { error, abort: true });
  return numberParam(wholeNumberText, max === undefined ? inner : inner.max(max, { error }));
}

/** A number in a query string with an optional fraction (`0.75`, `.5`), from `min` to `max`. */
export function decimalParamSchema(min: number, max: number) {
  const error = `must be a decimal number between ${min} and ${max}`;
  return numberParam(
    decimalNumberText,
    z.number({ error }).min(min, { error, abort: true }).max(max, { error }),
  );
}

/** `?limit=&offset=` of every list endpoint. */
export const pageQueryShape = {
  limit: integerParamSchema(1, 500).prefault(50),
  offset: integerParamSchema(0).prefault(0),
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
