import { type KpiReportBody, kpiReportSchema } from '@aftercare/core';
import { type PreventionFigures, preventionFromReport } from '../prevention-figures.ts';
import { type ApiClient, ApiError } from './api.ts';
import { log } from './log.ts';

const DAY_MS = 86_400_000;

/**
 * This month's and last month's failures prevented vs. happened, from GET /api/kpis?groupBy=month
 * over the last two months. The service groups by the month of its own network's time zone; a month
 * without a record has no group and counts as none of either.
 */
export async function loadPreventionFigures(api: ApiClient, now = Date.now()): Promise<PreventionFigures> {
  let report: KpiReportBody | null;
  try {
    report = await api.getIfAvailable('/api/kpis', kpiReportSchema, {
      groupBy: 'month',
      from: now - 62 * DAY_MS,
      to: now,
    });
  } catch (err) {
    // The figures are a secondary part of the overview: a refusal leaves the rest of it standing.
    if (err instanceof ApiError && (err.status === 400 || err.status === 403)) {
      log().warn({ status: err.status, code: err.code, message: err.message }, 'KPIs unavailable');
      return { available: false };
    }
    throw err;
  }
  if (report === null) return { available: false };
  return preventionFromReport(report, now);
}
