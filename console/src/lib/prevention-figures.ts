import type { KpiReportBody } from '@aftercare/core';

/** Failures a predictive repair prevented and failures that happened, in one month. */
export interface MonthFailures {
  /** Local `YYYY-MM` of the service network. */
  month: string;
  label: string;
  prevented: number;
  happened: number;
  /** prevented ÷ (prevented + happened); null when there was neither. */
  preventionRate: number | null;
}

export type PreventionFigures =
  | { available: false }
  | { available: true; thisMonth: MonthFailures; lastMonth: MonthFailures };

const HOUR_MS = 3_600_000;
const monthLabel = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

const utcMonth = (ts: number) => new Date(ts).toISOString().slice(0, 7);

function previousMonth(key: string): string {
  const [year, month] = key.split('-').map(Number) as [number, number];
  return utcMonth(Date.UTC(year, month - 2, 1));
}

function empty(month: string): MonthFailures {
  return {
    month,
    label: monthLabel.format(Date.parse(`${month}-01T00:00:00Z`)),
    prevented: 0,
    happened: 0,
    preventionRate: null,
  };
}

/** Picks this month and the one before out of a KPI report grouped by month. */
export function preventionFromReport(
  report: Pick<KpiReportBody, 'groups'>,
  now: number,
): PreventionFigures & { available: true } {
  const months = new Map(
    report.groups.map((g) => [
      g.key,
      {
        month: g.key,
        label: empty(g.key).label,
        prevented: g.kpis.failuresPrevented,
        happened: g.kpis.failuresHappened,
        preventionRate: g.kpis.preventionRate,
      },
    ]),
  );
  // The network's month is the UTC one give or take 14 hours: the newest group within that reach.
  const candidates = [utcMonth(now + 14 * HOUR_MS), utcMonth(now), utcMonth(now - 14 * HOUR_MS)];
  const current = candidates.find((key) => months.has(key)) ?? utcMonth(now);
  const last = previousMonth(current);
  return {
    available: true,
    thisMonth: months.get(current) ?? empty(current),
    lastMonth: months.get(last) ?? empty(last),
  };
}
