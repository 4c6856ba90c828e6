import {
  catalog,
  componentLabel,
  type DeviceModel,
  deviceModels,
  kpiReportSchema,
  modelListSchema,
  scorecardListSchema,
  trendsSchema,
} from '@aftercare/core';
import { displayTimeZone, humanize } from '../format.ts';
import type { ApiClient } from './api.ts';
import { localDate } from './planning.ts';
import { wallTimeToEpoch } from './wall-clock.ts';

/*
 * The insight pages' reads (trends, partner scorecards, model versions) and the filters they share.
 * Filters come from the page's query string, are checked here, and go to the API as they are.
 */

export const periodOptions = [
  { value: '3', label: 'last 3 months' },
  { value: '6', label: 'last 6 months' },
  { value: '12', label: 'last 12 months' },
] as const;

export interface InsightFilter {
  months: number;
  model: DeviceModel | '';
  region: string;
  partnerId: string;
}

const idLike = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function readInsightFilter(params: URLSearchParams): InsightFilter {
  const months = Number(params.get('months'));
  const model = params.get('model') ?? '';
  const partnerId = params.get('partner') ?? '';
  return {
    months: [3, 6, 12].includes(months) ? months : 12,
    model: (deviceModels as readonly string[]).includes(model) ? (model as DeviceModel) : '',
    region: (params.get('region') ?? '').trim().slice(0, 80),
    partnerId: idLike.test(partnerId) ? partnerId : '',
  };
}

/**
 * What a trends or scorecard page says when the API knows no region or partner of its filter (an old
 * bookmark, a typed address): a 404 naming them, not a server error.
 */
export function insightFilterNotFound(filter: InsightFilter): string {
  const named = [
    ...(filter.region ? [`region "${filter.region}"`] : []),
    ...(filter.partnerId ? [`partner "${filter.partnerId}"`] : []),
  ];
  if (named.length === 0) return 'There is nothing to show for this filter.';
  return `There is no ${named.join(' or no ')} to show: open the page without it and choose from its lists.`;
}

/** `YYYY-MM` of the month `shift` months after `key` (before, when negative). */
function shiftMonth(key: string, shift: number): string {
  const [y, m] = key.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + shift, 1)).toISOString().slice(0, 7);
}

/** Epoch ms of the first midnight of the month `key` (`YYYY-MM`) on `timeZone`'s clock. */
export function monthStart(key: string, timeZone: string): number {
  return wallTimeToEpoch(`${key}-01`, 0, timeZone);
}

/**
 * The API query of a filter: the last `months` calendar months on the platform's clock, the current
 * one to date. The service counts by the calendar month; a period reaching back "N × 30 days" began
 * a few days before a month's end, and that month, with almost nothing in it, read as zero failures.
 */
export function insightQuery(filter: InsightFilter, now = Date.now(), timeZone = displayTimeZone()) {
  const current = localDate(now, timeZone).slice(0, 7);
  return {
    from: monthStart(shiftMonth(current, 1 - filter.months), timeZone),
    to: now,
    model: filter.model || undefined,
    region: filter.region || undefined,
    partnerId: filter.partnerId || undefined,
  };
}

export function modelChoices() {
  return deviceModels.map((m) => ({ value: m, label: catalog[m].label }));
}

export const modelName = (m: DeviceModel) => catalog[m].label;
export const componentName = (c: string) => componentLabel(c) ?? humanize(c);

export function loadTrends(api: ApiClient, filter: InsightFilter) {
  return api.getIfAvailable('/api/trends', trendsSchema, insightQuery(filter));
}

export function loadScorecards(api: ApiClient, filter: InsightFilter) {
  return api.getIfAvailable('/api/scorecards', scorecardListSchema, insightQuery(filter));
}

export function loadKpis(
  api: ApiClient,
  filter: InsightFilter,
  groupBy: 'partner' | 'technician' | 'model' | 'month',
) {
  return api.getIfAvailable('/api/kpis', kpiReportSchema, { ...insightQuery(filter), groupBy });
}

export function loadModelVersions(api: ApiClient) {
  return api.getIfAvailable('/api/models', modelListSchema);
}

const monthFormat = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "Nov 2026" for "2026-11". */
export function monthName(key: string): string {
  return monthFormat.format(Date.parse(`${key}-01T00:00:00Z`));
}

/** Whether the period ending at `to` stops before the month `key` is over: its figures are to date. */
export function monthToDate(key: string, to: number, timeZone = displayTimeZone()): boolean {
  return to < monthStart(shiftMonth(key, 1), timeZone);
}

/** Epoch ms of the middle of a month, where a monthly point sits on a time axis. */
export function monthMid(key: string): number {
  const [y, m] = key.split('-').map(Number) as [number, number];
  return Date.UTC(y, m - 1, 15);
}
