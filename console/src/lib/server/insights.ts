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
import { humanize } from '../format.ts';
import type { ApiClient } from './api.ts';

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

const DAY_MS = 86_400_000;

/** The API query of a filter: the period ends now and starts `months` back (to the day). */
export function insightQuery(filter: InsightFilter, now = Date.now()) {
  return {
    from: now - Math.round(filter.months * 30.44) * DAY_MS,
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

/** Epoch ms of the middle of a month, where a monthly point sits on a time axis. */
export function monthMid(key: string): number {
  const [y, m] = key.split('-').map(Number) as [number, number];
  return Date.UTC(y, m - 1, 15);
}
