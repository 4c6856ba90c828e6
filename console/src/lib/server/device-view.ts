import {
  type ComponentTrend,
  type DeviceModel,
  type MetricSeries,
  riskListSchema,
  riskTrendSchema,
  telemetryResponseSchema,
} from '@aftercare/core';
import { formatAgo, formatStep } from '../format.ts';
import { chooseStepMs, stepParam } from '../telemetry-range.ts';
import type { ApiClient } from './api.ts';
import { componentLabel } from './catalog-view.ts';
import { type RiskRow, toRiskRow } from './risk-row.ts';
import { loadTicketMarks, type TicketMarks } from './ticket-marks.ts';

/** What a device page's charts draw for one window: compact, already aggregated on the server. */
export interface ChartWindow {
  from: number;
  to: number;
  stepMs: number | null;
  series: MetricSeries[];
  riskHistory: RiskHistory;
  /** The tickets opened in the window, where the page draws them (the planner's); else null. */
  tickets: TicketMarks | null;
}

export type RiskHistory =
  | { available: false }
  | {
      available: true;
      /**
       * One line for a history that has only begun (a fresh demo's single score makes no line yet):
       * "first scored 12 min ago; a point every 30 min from here"; null when the chart speaks for itself.
       */
      note: string | null;
      components: { component: string; label: string; ts: number[]; p: number[] }[];
    };

async function telemetry(api: ApiClient, id: string, metrics: string[], from: number, to: number) {
  const stepMs = chooseStepMs(to - from);
  const response = await api.get(
    `/api/devices/${encodeURIComponent(id)}/telemetry`,
    telemetryResponseSchema,
    {
      metrics: metrics.join(','),
      from,
      to,
      step: stepParam(stepMs),
    },
  );
  return { stepMs: response.stepMs, series: response.series };
}

/**
 * The device's risk in the window, one line per component: the highest score of each chart bucket,
 * bucketed by the API (GET /api/devices/:id/risk-trend), so a year is as cheap as a day.
 */
async function riskHistory(
  api: ApiClient,
  id: string,
  model: DeviceModel,
  from: number,
  to: number,
  now: number,
): Promise<RiskHistory> {
  const stepMs = chooseStepMs(to - from);
  const trend = await api.getIfAvailable(
    `/api/devices/${encodeURIComponent(id)}/risk-trend`,
    riskTrendSchema,
    {
      from,
      to,
      step: stepParam(stepMs),
    },
  );
  if (trend === null) return { available: false };
  const components = trend.components.map((c) => ({
    component: c.component,
    label: componentLabel(model, c.component),
    ts: c.points.map((p) => p.ts),
    p: c.points.map((p) => p.pFail),
  }));
  return {
    available: true,
    note: riskHistoryNote(trend.components, { from, to, stepMs: trend.stepMs }, now),
    components,
  };
}

/**
 * What to say under a risk history that has only begun in a window reaching the present: when it was
 * first scored and how often a point will follow (the chart's bucket, or the scoring interval seen
 * so far when longer). Null for no scores (the chart says so), for a past window and for a history
 * that covers most of the window.
 */
export function riskHistoryNote(
  components: readonly Pick<ComponentTrend, 'firstScoredAt' | 'scores' | 'points'>[],
  window: { from: number; to: number; stepMs: number },
  now: number,
): string | null {
  const { from, to, stepMs } = window;
  if (components.length === 0 || to < now - Math.max(stepMs, 60_000)) return null;
  // Every scoring run scores each component of the device: the one scored most often counts the runs.
  const most = components.reduce((a, b) => (b.scores > a.scores ? b : a));
  // First scored before the window (or early in it): the device has a past, and the chart shows it.
  const first = Math.min(...components.map((c) => c.firstScoredAt));
  if (first < from + (to - from) * 0.1) return null;
  const ago = formatAgo(first, now);
  if (most.scores === 1)
    return `Scored once so far, ${ago}: a point follows each time the models score it again.`;
  // The chart's points: its bucket, or the typical silence between points where scores came less often.
  const gaps = most.points.slice(1).map((p, i) => p.ts - most.points[i]!.ts);
  gaps.sort((a, b) => a - b);
  const everyMs = Math.max(stepMs, gaps[Math.floor(gaps.length / 2)] ?? 0);
  // A history of a few points is still beginning; a longer one only started inside this window.
  const when = most.points.length < 12 ? 'from here' : 'since';
  return `First scored ${ago}; a point every ${formatStep(everyMs)} ${when}.`;
}

export async function loadChartWindow(
  api: ApiClient,
  device: { id: string; model: DeviceModel },
  metrics: string[],
  from: number,
  to: number,
  options: { now?: number; ticketMarks?: boolean } = {},
): Promise<ChartWindow> {
  const now = options.now ?? Date.now();
  const [t, r, tickets] = await Promise.all([
    metrics.length
      ? telemetry(api, device.id, metrics, from, to)
      : { stepMs: chooseStepMs(to - from), series: [] },
    riskHistory(api, device.id, device.model, from, to, now),
    options.ticketMarks ? loadTicketMarks(api, device.id, from, to) : null,
  ]);
  return { from, to, stepMs: t.stepMs, series: t.series, riskHistory: r, tickets };
}

/** The newest score of each component of one device, worst first. */
export async function currentRisks(api: ApiClient, id: string): Promise<RiskRow[] | null> {
  const latest = await api.getIfAvailable('/api/risks', riskListSchema, { deviceId: id, limit: 100 });
  if (latest === null) return null;
  return latest.items.map((r) => toRiskRow(r));
}
