import { wallTimeToEpoch } from '@aftercare/core';
import { localDate } from './planning.ts';

/** Core's: the browser (the assign form) and the service (a visit's day) read wall times alike. */
export { wallTimeToEpoch };

const DAY_MS = 86_400_000;

/**
 * The last millisecond of the day `ts` falls on, on `timeZone`'s clock: one before the next midnight
 * there. "Due today" ends here, whatever zone the server itself runs in.
 */
export function endOfDayIn(ts: number, timeZone: string): number {
  const today = localDate(ts, timeZone);
  const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  return wallTimeToEpoch(tomorrow, 0, timeZone) - 1;
}
