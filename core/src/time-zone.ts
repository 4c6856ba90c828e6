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
