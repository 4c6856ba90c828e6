import { isTimeZone, timeZoneAbbreviation } from '@aftercare/core';

/** Number and time formatting shared by pages and charts; one place so every page reads alike. */

const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return integer.format(n);
}

export function formatPercent(p: number, digits = 0): string {
  return `${(p * 100).toFixed(digits)} %`;
}

/**
 * Whole percentages of `total` for parts that make it up, summing to 100 as the parts do: each is
 * rounded down and the points left go to the largest remainders (185 and 15 of 200 read 92 % and 8 %,
 * not 93 % and 8 %). Keyed as the counts are; empty when there is no total.
 */
export function wholeShares<K extends string>(
  counts: Record<K, number>,
  total: number,
): Partial<Record<K, number>> {
  if (total <= 0) return {};
  const keys = Object.keys(counts) as K[];
  const exact = keys.map((k) => (counts[k] / total) * 100);
  const whole = exact.map(Math.floor);
  const left = Math.round(exact.reduce((a, b) => a + b, 0)) - whole.reduce((a, b) => a + b, 0);
  const byRemainder = keys.map((_, i) => i).sort((a, b) => exact[b]! - whole[b]! - (exact[a]! - whole[a]!));
  for (const i of byRemainder.slice(0, Math.max(0, left))) whole[i]!++;
  return Object.fromEntries(keys.map((k, i) => [k, whole[i]!])) as Partial<Record<K, number>>;
}

/**
 * A probability of failure, wherever a page prints one: a percentage, but "> 99 %" and "< 1 %" at the
 * ends, so that a model's 0.996 does not read as certainty, nor 0.004 as impossible.
 */
export function formatProbability(p: number, digits = 0): string {
  const edge = 10 ** -(digits + 2);
  if (p > 1 - edge) return `> ${formatPercent(1 - edge, digits)}`;
  if (p < edge) return `< ${formatPercent(edge, digits)}`;
  return formatPercent(p, digits);
}

/** A share that may be unknown (nothing to divide by yet): "–" then, else as formatPercent. */
export function formatShare(p: number | null): string {
  return p === null ? '–' : formatPercent(p);
}

/**
 * A measured value with sensible precision for its size: 1,234 W · 62.4 °C · 0.82 A · −18.5 °C (a
 * true minus sign, which a hyphen is not: it breaks lines and vanishes beside a dash).
 */
export function formatValue(value: number, unit = ''): string {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  const text = new Intl.NumberFormat('en', { maximumFractionDigits: digits }).format(value).replace('-', '−');
  return unit && unit !== 'count' ? `${text} ${unit}` : text;
}

/** A range of measured values: "3.2–5.5 A", but "−20 to −16 °C", as a dash beside a minus reads as neither. */
export function formatValueRange(low: number, high: number, unit = ''): string {
  return `${formatValue(low)}${low < 0 || high < 0 ? ' to ' : '–'}${formatValue(high, unit)}`;
}

/** The whole days a page prints for a days-left estimate (7.4 → 7); 0 for under a day. */
export function shownDaysLeft(days: number): number {
  return days < 1 ? 0 : Math.round(days);
}

/** Due within `days` as the pages print days left: a row that reads "7 days" counts within 7. */
export function dueWithin(daysLeft: number | null, days: number): boolean {
  return daysLeft !== null && shownDaysLeft(daysLeft) <= days;
}

/** Days until the predicted failure; null means none is expected within the model's horizon. */
export function formatDaysLeft(days: number | null, horizonDays?: number, pFail?: number): string {
  // The days-left head answers only above the component's alert threshold; a likely failure
  // below it still falls inside the horizon, so "> 14 days" would contradict the probability.
  if (days === null && horizonDays && pFail !== undefined && pFail >= 0.5)
    return `within ${horizonDays} days`;
  if (days === null) return horizonDays ? `> ${horizonDays} days` : 'none expected';
  const rounded = shownDaysLeft(days);
  if (rounded === 0) return 'under a day';
  return `${rounded} ${rounded === 1 ? 'day' : 'days'}`;
}

/** "3 min ago", "5 h ago", "2 d ago"; for last-seen and scored-at times. */
export function formatAgo(ts: number | string | null, now = Date.now()): string {
  if (ts === null) return 'never';
  const ms = now - (typeof ts === 'string' ? Date.parse(ts) : ts);
  if (!Number.isFinite(ms)) return 'unknown';
  if (ms < 60_000) return 'just now';
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min ago`;
  if (ms < 48 * 3_600_000) return `${Math.round(ms / 3_600_000)} h ago`;
  return `${Math.round(ms / 86_400_000)} d ago`;
}

/**
 * The time zone every date and clock time of the console is shown in: the platform's
 * AFTERCARE_TIMEZONE (the region the service works in), not the zone of the server or of the
 * browser, so a planner, a technician and a customer read the same "14:30" for the same visit. The
 * server sets it at start and the root layout hands it to the browser (setDisplayTimeZone).
 */
let displayZone = hostTimeZone();

/** The zone of the machine this runs on; UTC when it names none. */
export function hostTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function setDisplayTimeZone(zone: string): void {
  if (zone === displayZone) return;
  if (!isTimeZone(zone)) throw new RangeError(`not a time zone: "${zone}"`);
  displayZone = zone;
  formatters.clear();
}

export function displayTimeZone(): string {
  return displayZone;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const styles = {
  dateTime: {
    day: '2-digit',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  },
  date: { day: '2-digit', month: 'short', year: 'numeric' },
  day: { day: 'numeric', month: 'short' },
  month: { month: 'short', year: 'numeric' },
  time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  wallClock: {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    hourCycle: 'h23',
  },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

function formatter(style: keyof typeof styles): Intl.DateTimeFormat {
  let format = formatters.get(style);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { ...styles[style], timeZone: displayZone });
    formatters.set(style, format);
  }
  return format;
}

const toDate = (ts: number | string | Date) => (ts instanceof Date ? ts : new Date(ts));

/**
 * The zone's short name at `ts`: "IST", "CET", "GMT", "UTC"; the offset ("GMT+8") where English has
 * no abbreviation for it. en-GB names European zones, en-US American ones, en-IN India's.
 */
export function formatZone(ts: number | string | Date = Date.now()): string {
  return timeZoneAbbreviation(displayZone, toDate(ts).getTime());
}

/** "26 Nov 2026, 14:30" in the display zone; with `zone`, "26 Nov 2026, 14:30 IST". */
export function formatDateTime(ts: number | string | Date, options: { zone?: boolean } = {}): string {
  const text = formatter('dateTime').format(toDate(ts));
  return options.zone ? `${text} ${formatZone(ts)}` : text;
}

/** "26 Nov 2026": the calendar day in the display zone. */
export function formatDate(ts: number | string | Date): string {
  return formatter('date').format(toDate(ts));
}

/** "26 Nov": a day of this year's calendar, for ticks and tight spaces. */
export function formatDay(ts: number | string | Date): string {
  return formatter('day').format(toDate(ts));
}

/** "Nov 2026". */
export function formatMonth(ts: number | string | Date): string {
  return formatter('month').format(toDate(ts));
}

/** "14:30" (24-hour clock) in the display zone; with `zone`, "14:30 IST". */
export function formatTime(ts: number | string | Date, options: { zone?: boolean } = {}): string {
  const text = formatter('time').format(toDate(ts));
  return options.zone ? `${text} ${formatZone(ts)}` : text;
}

/**
 * "14:30" on a named zone's clock (the dispatch board's, which may not be the display zone), each time
 * read at its own instant: a day with a DST change has 23 or 25 hours.
 */
export function clockIn(timeZone: string): (ts: number) => string {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return (ts) => format.format(ts);
}

/**
 * A visit or appointment: "26 Nov 2026, 10:00–13:00 IST"; across midnight both ends carry their day.
 * The zone is named because whoever reads it may be elsewhere.
 */
export function formatTimeRange(start: number | string | Date, end: number | string | Date): string {
  const sameDay = formatDate(start) === formatDate(end);
  const to = sameDay ? formatTime(end) : formatDateTime(end);
  return `${formatDateTime(start)}–${to} ${formatZone(start)}`;
}

/**
 * A Date whose local fields (getHours, getDate…) read the display zone's wall clock at `ts`: what
 * uPlot's `tzDate` option wants, so chart ticks fall on the zone's whole hours and midnights.
 */
export function wallClockDate(ts: number): Date {
  const parts = formatter('wallClock').formatToParts(new Date(ts));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return new Date(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
    ts - Math.floor(ts / 1000) * 1000,
  );
}

/** Minutes the display zone is ahead of UTC at `ts` (330 for Asia/Kolkata, −300 for New York in winter). */
export function zoneOffsetMinutes(ts: number): number {
  const wall = wallClockDate(ts);
  const asUtc = Date.UTC(
    wall.getFullYear(),
    wall.getMonth(),
    wall.getDate(),
    wall.getHours(),
    wall.getMinutes(),
    wall.getSeconds(),
    wall.getMilliseconds(),
  );
  return Math.round((asUtc - ts) / 60_000);
}

/** Hours and minutes of `ts` on the display zone's clock, for chart ticks. */
export function clockOf(ts: number | string | Date): { hour: number; minute: number } {
  const [hour = 0, minute = 0] = formatTime(ts).split(':').map(Number);
  return { hour, minute };
}

/** "1 h", "15 min", "1 d": how wide one point of a chart is. */
export function formatStep(stepMs: number | null): string {
  if (stepMs === null) return 'raw samples';
  if (stepMs % 86_400_000 === 0) return `${stepMs / 86_400_000} d`;
  if (stepMs % 3_600_000 === 0) return `${stepMs / 3_600_000} h`;
  if (stepMs % 60_000 === 0) return `${stepMs / 60_000} min`;
  return `${Math.round(stepMs / 1000)} s`;
}

/** snake_case component ids as words: "condenser_fan_motor" → "Condenser fan motor". */
export function humanize(id: string): string {
  const words = id.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A snake_case code inside a sentence, as words: "compressor_repair" → "compressor repair". */
export function words(id: string): string {
  return id.replace(/_+/g, ' ').trim();
}

/**
 * Free text a person reads (an audit reason, a device's answer) with every snake_case code in it as
 * words: "device answered ok: cleared sensor_drift" → "… cleared sensor drift". Ids with hyphens,
 * part SKUs and plain words are left as they are.
 */
export function plainWords(text: string): string {
  return text.replace(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g, words);
}
