import { describeWorkingDays } from '@aftercare/core';
import type { Hours } from './assign-day.ts';

/** "Mon–Sat, 09:30–18:30 Asia/Kolkata": a technician's hours as the service words them in a refusal. */
export function describeHours(hours: Hours): string {
  return `${describeWorkingDays(hours.days)}, ${hours.start}–${hours.end} ${hours.timezone}`;
}
