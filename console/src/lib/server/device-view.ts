import {
  type DeviceModel,
  deviceRiskHistorySchema,
  type MetricSeries,
  type Risk,
  riskListSchema,
  telemetryResponseSchema,
} from '@aftercare/core';
import { bucketMax } from '../chart-data.ts';
import { chooseStepMs, stepParam } from '../telemetry-range.ts';
import type { ApiClient } from './api.ts';
import { componentLabel } from './catalog-view.ts';
import { type RiskRow, toRiskRow } from './risk-row.ts';

/** What a device page's charts draw for one window: compact, already aggregated on the server. */
export interface ChartWindow {
  from: number;
  to: number;
  stepMs: number | null;
  series: MetricSeries[];
  riskHistory: RiskHistory;
}

export type RiskHistory =
  | { available: false }
  | {
      available: true;
      /** The API kept only the most recent scores of the window. */
      truncated: boolean;
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
  return { available: true, truncated: history.truncated, components };
}

export async function loadChartWindow(
  api: ApiClient,
  device: { id: string; model: DeviceModel },
  metrics: string[],
  from: number,
  to: number,
): Promise<ChartWindow> {
  const [t, r] = await Promise.all([
    metrics.length
      ? telemetry(api, device.id, metrics, from, to)
      : { stepMs: chooseStepMs(to - from), series: [] },
    riskHistory(api, device.id, device.model, from, to),
  ]);
  return { from, to, stepMs: t.stepMs, series: t.series, riskHistory: r };
}

/** The newest score of each component of one device, worst first. */
export async function currentRisks(api: ApiClient, id: string): Promise<RiskRow[] | null> {
  const latest = await api.getIfAvailable('/api/risks', riskListSchema, { deviceId: id, limit: 100 });
  if (latest === null) return null;
  return latest.items.map((r) => toRiskRow(r, undefined));
}
