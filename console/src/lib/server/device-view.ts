import {
  type DeviceModel,
  deviceRiskHistorySchema,
  type MetricSeries,
  type Risk,
  riskListSchema,
  telemetryResponseSchema,
} from '@aftercare/core';
import { bucketMax } from '../chart-data.ts';
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
      /** The API kept only the most recent scores of the window. */
      truncated: boolean;
      /**
       * One line for a history that has only begun (a fresh demo's single score makes no line yet):
       * "first scored 12 min ago; a point every 30 min from here"; null when the chart speaks for itself.
       */
      note: string | null;
      components: { component: string; label: string; ts: number[]; p: number[] }[];
    };

const historyLimit = 10_000;

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

/** The device's risk scores in the window, one line per component, at most one point per chart bucket. */
async function riskHistory(
  api: ApiClient,
  id: string,
  model: DeviceModel,
  from: number,
  to: number,
  now: number,
): Promise<RiskHistory> {
  const history = await api.getIfAvailable(
    `/api/devices/${encodeURIComponent(id)}/risks`,
    deviceRiskHistorySchema,
    {
      from,
      to,
      limit: historyLimit,
    },
  );
  if (history === null) return { available: false };
  const stepMs = chooseStepMs(to - from);
  const byComponent = new Map<string, Risk[]>();
  for (const risk of history.items) {
    const list = byComponent.get(risk.component);
    if (list) list.push(risk);
    else byComponent.set(risk.component, [risk]);
  }
  const components = [...byComponent.entries()].map(([component, risks]) => {
    const sorted = risks.sort((a, b) => a.scoredAt - b.scoredAt);
    const bucketed = bucketMax(
      sorted.map((r) => r.scoredAt),
      sorted.map((r) => r.pFail),
      stepMs,
    );
    return { component, label: componentLabel(model, component), ts: bucketed.ts, p: bucketed.values };
  });
  const note = history.truncated
    ? null
    : riskHistoryNote(
        history.items.map((r) => r.scoredAt),
        { from, to, stepMs },
        now,
      );
  return { available: true, truncated: history.truncated, note, components };
}

/** Scores of one scoring run land within this of each other. */
const sameRunMs = 60_000;

/**
 * What to say under a risk history that has only begun in a window reaching the present: when it was
 * first scored and how often a point will follow (the chart's bucket, or the scoring interval seen
 * so far when longer). Null for no scores (the chart says so), for a past window and for a history
 * that covers most of the window.
 */
export function riskHistoryNote(
  scoredAt: readonly number[],
  window: { from: number; to: number; stepMs: number },
  now: number,
): string | null {
  const { from, to, stepMs } = window;
  if (scoredAt.length === 0 || to < now - Math.max(stepMs, sameRunMs)) return null;
  const runs: number[] = [];
  for (const t of [...scoredAt].sort((a, b) => a - b))
    if (runs.length === 0 || t - runs[runs.length - 1]! > sameRunMs) runs.push(t);
  const first = runs[0]!;
  if (runs.length > 1 && first < from + (to - from) * 0.1) return null;
  const ago = formatAgo(first, now);
  if (runs.length === 1)
    return `Scored once so far, ${ago}: a point follows each time the models score it again.`;
  const gaps = runs.slice(1).map((t, i) => t - runs[i]!);
  gaps.sort((a, b) => a - b);
  const everyMs = Math.max(stepMs, Math.round(gaps[Math.floor(gaps.length / 2)]! / 60_000) * 60_000);
  // A history of a few points is still beginning; a longer one only started inside this window.
  const when = runs.length < 12 ? 'from here' : 'since';
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
