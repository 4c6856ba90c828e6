import { ValidationError } from './errors.ts';

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * Minutes the IANA zone is ahead of UTC at the instant `at` (330 for Asia/Kolkata, 120 for Berlin in
 * summer). Read from Intl at that instant, so a DST change is where the zone's rules put it. Shared by
 * the service's planners and the console's forms, which must agree on what a wall-clock time means.
 */
export function utcOffsetMinutes(timeZone: string, at: number): number {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormats.set(timeZone, format);
  }
  // "GMT+05:30", "GMT-04:00", or plain "GMT" for UTC itself.
  const name = format.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
  if (!match) throw new ValidationError(`timezone: cannot read the UTC offset of ${timeZone} (${name})`);
  if (match[1] === undefined) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const zoneNameFormats = new Map<string, Intl.DateTimeFormat>();

function cachedFormat(
  cache: Map<string, Intl.DateTimeFormat>,
  key: string,
  make: () => Intl.DateTimeFormat,
): Intl.DateTimeFormat {
  let format = cache.get(key);
  if (!format) {
    format = make();
    cache.set(key, format);
  }
  return format;
}

/**
 * The zone's short name at `at`: "IST", "CET", "EST", "UTC"; the offset ("GMT+8") where English has
 * no abbreviation for it. en-GB names European zones, en-US American ones, en-IN India's.
 */
export function timeZoneAbbreviation(timeZone: string, at: number): string {
  let fallback = '';
  for (const locale of ['en-GB', 'en-US', 'en-IN']) {
    const format = cachedFormat(
      zoneNameFormats,
      `${timeZone}|${locale}`,
      () => new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }),
    );
    const name = format.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
    if (!name) continue;
    if (!/^GMT[+-−]/.test(name)) return name;
    fallback ||= name;
  }
  return fallback || timeZone;
}

/**
 * "28 Nov 2026, 09:40 IST": an instant as someone in `timeZone` reads it, in the console's date-time
 * shape, so a message the service writes reads like the page it is shown on. The zone is named
 * because the reader may be elsewhere.
 */
export function formatDateTimeIn(at: number, timeZone: string): string {
  const format = cachedFormat(
    dateTimeFormats,
    timeZone,
    () =>
      new Intl.DateTimeFormat('en-GB', {
        timeZone,
        day: '2-digit',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }),
  );
  return `${format.format(at)} ${timeZoneAbbreviation(timeZone, at)}`;
}

/**
 * "07 Mar 2027": the day of `timeZone`'s calendar an instant falls on, in the console's date shape,
 * for a message about days (a contract's term) that a person reads on the platform's calendar.
 */
export function formatDateIn(at: number, timeZone: string): string {
  return cachedFormat(
    dateFormats,
    timeZone,
    () => new Intl.DateTimeFormat('en-GB', { timeZone, day: '2-digit', month: 'short', year: 'numeric' }),
  ).format(at);
}
