import { planningDateSchema } from '@aftercare/core';

/**
 * Whether `value` is a day the service plans (YYYY-MM-DD, on the calendar, in the planning years):
 * the same check the dispatch API makes, so a page that asks for a day it refuses (2026-02-30, month
 * 13, day 00) can say "not a date" instead of failing on the API's 400.
 */
export function isPlanningDate(value: string | null): value is string {
  return value !== null && planningDateSchema.safeParse(value).success;
}
