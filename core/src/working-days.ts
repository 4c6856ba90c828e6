/** ISO weekday names, Monday first. */
export const weekdayNames = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;

/** Mon–Sat, or Mon, Wed, Fri: ISO weekdays as a planner reads a week (the service's words and the console's). */
export function describeWorkingDays(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const short = (d: number) => weekdayNames[d - 1]!.slice(0, 3);
  const first = sorted[0];
  const last = sorted.at(-1);
  const consecutive = first !== undefined && last !== undefined && last - first === sorted.length - 1;
  if (consecutive && sorted.length > 2) return `${short(first)}–${short(last)}`;
  return sorted.map(short).join(', ');
}

/** "Mon–Sat, 09:30–18:30 Asia/Kolkata": a technician's hours as a refusal and the booking form word them. */
export function describeWorkingHours(hours: {
  days: readonly number[];
  start: string;
  end: string;
  timezone: string;
}): string {
  return `${describeWorkingDays(hours.days)}, ${hours.start}–${hours.end} ${hours.timezone}`;
}
