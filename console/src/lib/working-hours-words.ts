import { describeWorkingDays, type WorkingHours } from '@aftercare/core';

/** "Mon–Sat, 09:30–18:30 Asia/Kolkata": a technician's hours as the service words them in a refusal. */
export function describeHours(hours: WorkingHours): string {
  return `${describeWorkingDays(hours.days)}, ${hours.start}–${hours.end} ${hours.timezone}`;
}
