import { z } from 'zod';

/**
 * An instant as a person types it into a query string or a flag: epoch milliseconds (digits only)
 * or ISO 8601 with an explicit zone. `Date.parse` is not used: it reads `-1` as the year 2001,
 * `Nov 1` as a date, rolls 2026-02-30 over to 2 March and reads a time without a zone in the
 * server's zone, so a typo became a silently different range instead of an error.
 *
 * Accepted:
 * - `1764130000000`: epoch milliseconds, up to 253402300799999 (the last instant of the year 9999); no
 *   sign, since nothing here predates 1970;
 * - `2026-11-27`: a date alone, read as midnight UTC (not local midnight: the server's zone is no
 *   business of the caller's);
 * - `2026-11-27T08:30Z`, `2026-11-27T08:30:00Z`, `2026-11-27T08:30:00.250+05:30`: a date-time
 *   with minutes, optional seconds and fraction, and a zone (`Z` or `±hh:mm`).
 */
export const instantForms =
  'epoch milliseconds or ISO 8601 with a zone: 2026-11-27 (midnight UTC), 2026-11-27T08:30:00Z or 2026-11-27T08:30:00+05:30';

/** 9999-12-31T23:59:59.999Z: the last instant a date can show; beyond it dates cannot be formatted. */
export const MAX_INSTANT_MS = 253_402_300_799_999;

export type InstantParse = { ok: true; ms: number } | { ok: false; problem: string };

const epochMs = /^\d{1,15}$/;
const iso = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?$/;
/** `+05:30` in a query string that was not percent-encoded: the `+` arrives as a space. */
const plusDecodedAsSpace = /^\d{4}-\d{2}-\d{2}T[\d:.]+ \d{2}:\d{2}$/;

/** Parses one instant; on failure says what is wrong in words that follow "must be"/"is". */
export function parseInstant(text: string, where: 'url' | 'json' = 'url'): InstantParse {
  if (epochMs.test(text)) {
    const ms = Number(text);
    if (ms > MAX_INSTANT_MS)
      return {
        ok: false,
        problem: `must not be after ${MAX_INSTANT_MS} (9999-12-31T23:59:59.999Z), got ${text}`,
      };
    return { ok: true, ms };
  }
  const match = iso.exec(text);
  if (!match) {
    if (where === 'url' && plusDecodedAsSpace.test(text)) {
      return {
        ok: false,
        problem: `must have a zone of Z or ±hh:mm; a "+" in a URL arrives as a space, so write it as %2B (got "${text}")`,
      };
    }
    return { ok: false, problem: `must be ${instantForms}` };
  }
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone = 'Z'] = match;
  const parts = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [y, mo, d, h, mi, s] = parts;
  const at = new Date(0);
  // setUTCFullYear, not Date.UTC, which reads the years 0–99 as 1900–1999.
  at.setUTCFullYear(y, mo - 1, d);
  at.setUTCHours(h, mi, s, Number(fraction.padEnd(3, '0').slice(0, 3)));
  // Date rolls 30 February over to 2 March and 25:00 to the next day; what exists survives the round trip.
  const exists =
    at.getUTCFullYear() === y &&
    at.getUTCMonth() === mo - 1 &&
    at.getUTCDate() === d &&
    at.getUTCHours() === h &&
    at.getUTCMinutes() === mi &&
    at.getUTCSeconds() === s;
  if (!exists) return { ok: false, problem: `must be a real date and time (there is no ${text})` };
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const zoneHours = Number(zone.slice(1, 3));
    const zoneMinutes = Number(zone.slice(4, 6));
    if (zoneHours > 23 || zoneMinutes > 59) {
      return { ok: false, problem: `must have a zone offset between -23:59 and +23:59 (got ${zone})` };
    }
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (zoneHours * 60 + zoneMinutes);
  }
  const ms = at.getTime() - offsetMinutes * 60_000;
  if (ms < 0) return { ok: false, problem: `must not be before 1970-01-01T00:00:00Z (got ${text})` };
  return { ok: true, ms };
}

/** An instant written as text, as epoch milliseconds; `where` it came from decides the hints. */
function instantText(where: 'url' | 'json') {
  return z.string().transform((text, ctx) => {
    const parsed = parseInstant(text, where);
    if (parsed.ok) return parsed.ms;
    ctx.addIssue({ code: 'custom', message: parsed.problem });
    return z.NEVER;
  });
}

/**
 * A query parameter holding an instant, as epoch milliseconds. The error message is what follows the
 * parameter's name (`querystring.from: must be …`), which the caller's error handler puts in front.
 */
export const instantParamSchema = instantText('url');

/**
 * An instant in a JSON body: epoch milliseconds as a number, or a string in any form
 * `instantParamSchema` reads (ISO 8601 with a zone, say), as epoch milliseconds. A person booking
 * over the API writes `"2026-11-30T10:00:00+05:30"`; a program sends the number it holds.
 */
export const instantBodySchema = z
  .union(
    [
      z
        .number()
        .int()
        .min(0, `must not be before 1970; must be ${instantForms}`)
        .max(MAX_INSTANT_MS, `must not be after the year 9999; must be ${instantForms}`),
      instantText('json'),
    ],
    {
      error: (issue) => {
        // A string that is not an instant: say what is wrong with it, not that it is not a number.
        const asText =
          typeof issue.input === 'string' && 'errors' in issue ? issue.errors[1]?.[0]?.message : undefined;
        return asText ?? `must be ${instantForms}`;
      },
    },
  )
  .meta({ description: instantForms });
