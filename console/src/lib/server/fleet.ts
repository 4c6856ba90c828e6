import {
  type DeviceModel,
  type FleetDeviceRow,
  fleetDevicesSchema,
  fleetSummarySchema,
  type Risk,
  riskListSchema,
} from '@aftercare/core';
import type { HealthCounts } from '../fleet-health.ts';
import type { ApiClient } from './api.ts';
import { modelLabel } from './catalog-view.ts';
import { toRiskRow } from './risk-row.ts';

const pageLimit = 1000;

export interface RiskQuery {
  minP?: number;
  model?: string | null;
  component?: string | null;
}

/** The API pages risks by 500, most likely failure first; a list is cut at this many. */
const riskPageLimit = 500;
export const maxRisksListed = 20_000;

/**
 * The newest risk of each device × component matching `query` (the API filters), or null when the
 * service has no GET /api/risks. `total` counts all matches, even past `maxRisksListed`.
 */
export async function latestRisks(
  api: ApiClient,
  query: RiskQuery = {},
): Promise<{ items: Risk[]; total: number } | null> {
  const params = { minP: query.minP, model: query.model, component: query.component, limit: riskPageLimit };
  const first = await api.getIfAvailable('/api/risks', riskListSchema, params);
  if (first === null) return null;
  const items = [...first.items];
  for (let offset = riskPageLimit; offset < Math.min(first.total, maxRisksListed); offset += riskPageLimit) {
    const page = await api.get('/api/risks', riskListSchema, { ...params, offset });
    items.push(...page.items);
    if (page.items.length < riskPageLimit) break;
  }
  return { items, total: first.total };
}

/**
 * Every device the user may see with its health as the service judges it (GET /api/fleet/devices,
 * worst first, 1,000 a page): one rule for health, the service's, wherever a device is shown.
 */
export async function listFleetDevices(api: ApiClient): Promise<FleetDeviceRow[]> {
  const all: FleetDeviceRow[] = [];
  for (let offset = 0; ; offset += pageLimit) {
    const page = await api.get('/api/fleet/devices', fleetDevicesSchema, { limit: pageLimit, offset });
    all.push(...page.items);
    if (page.items.length < pageLimit || all.length >= page.matching) return all;
  }
}

export interface ModelHealthRow {
  model: DeviceModel;
  label: string;
  total: number;
  counts: HealthCounts;
}

/**
 * The overview from GET /api/fleet/summary: the service counts devices by model and health in one
 * pass and sends the `top` most likely failures as rows, so the overview of 10,000 devices reads
 * neither the device list nor every risk.
 */
export async function loadFleetSummary(api: ApiClient, top: number) {
  const summary = await api.get('/api/fleet/summary', fleetSummarySchema, { top });
  const rows: ModelHealthRow[] = summary.byModel.map((r) => ({
    model: r.model,
    label: modelLabel(r.model),
    total: r.devices,
    counts: r.counts,
  }));
  return {
    devices: summary.devices,
    online: summary.online,
    rows,
    totals: summary.totals,
    scoredComponents: summary.risks.scoredComponents,
    atRiskComponents: summary.risks.atRiskComponents,
    lastScoredAt: summary.risks.lastScoredAt,
    topRisks: summary.topRisks.map((r) => toRiskRow(r)),
  };
}
