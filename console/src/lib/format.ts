/** Number and time formatting shared by pages and charts; one place so every page reads alike. */

const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return integer.format(n);
}

export function formatPercent(p: number, digits = 0): string {
  return `${(p * 100).toFixed(digits)} %`;
}

/** A measured value with sensible precision for its size: 1,234 W · 62.4 °C · 0.82 A. */
export function formatValue(value: number, unit = ''): string {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  const text = new Intl.NumberFormat('en', { maximumFractionDigits: digits }).format(value);
  return unit && unit !== 'count' ? `${text} ${unit}` : text;
}

/** Days until the predicted failure; null means none is expected within the model's horizon. */
export function formatDaysLeft(days: number | null, horizonDays?: number, pFail?: number): string {
  // The days-left head answers only above the component's alert threshold; a likely failure
  // below it still falls inside the horizon, so "> 14 days" would contradict the probability.
  if (days === null && horizonDays && pFail !== undefined && pFail >= 0.5)
    return `within ${horizonDays} days`;
  if (days === null) return horizonDays ? `> ${horizonDays} days` : 'none expected';
  if (days < 1) return 'under a day';
  const rounded = Math.round(days);
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

const dateTime = new Intl.DateTimeFormat('en-GB', {
  day: '2-digit',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const dateOnly = new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: 'short', year: 'numeric' });

export function formatDateTime(ts: number | string): string {
  return dateTime.format(new Date(ts));
}

export function formatDate(ts: number | string): string {
  return dateOnly.format(new Date(ts));
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
