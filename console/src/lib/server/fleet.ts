import {
  type Device,
  type DeviceModel,
  deviceDetailSchema,
  fleetHealthRules,
  fleetSummarySchema,
  type Risk,
  riskListSchema,
} from '@aftercare/core';
import { deviceHealth, emptyCounts, type HealthCounts, type HealthState } from '../fleet-health.ts';
import { riskThresholds } from '../risk-scale.ts';
import type { ApiClient } from './api.ts';
import { modelLabel, modelOrder } from './catalog-view.ts';
import { devicePageSchema } from './parsers.ts';
import { type RiskRow, toRiskRow } from './risk-row.ts';

/** A device with what the overview needs to place it. */
export interface FleetDevice extends Device {
  online: boolean | null;
  lastSeen: string | null;
  health: HealthState;
  /** The device's highest failure probability, or null when no component was scored. */
  maxPFail: number | null;
}

export interface Fleet {
  devices: FleetDevice[];
  /**
   * The risks at or above `risksFrom` (a device's health depends only on those); null when the
   * service has no risk endpoint yet (GET /api/risks answered 404).
   */
  risks: RiskRow[] | null;
  /** Every device × component scored, whatever its probability. */
  scoredComponents: number;
  /**
   * The lowest probability fetched: a fleet of 10,000 devices has some 45,000 scores, but only those
   * worth watching (and the at-risk ones, which decide health) are needed to place each device.
   */
  risksFrom: number;
  /** How presence was learnt: from the list, per device, or not at all (too many devices to ask one by one). */
  presence: 'listed' | 'per-device' | 'unknown';
}

const pageLimit = 1000;
/** Fleets up to this size learn presence from one GET /api/devices/:id each when the list lacks it. */
const perDevicePresenceLimit = 250;
const presenceConcurrency = 8;

/** Every device the user may see (the API scopes a customer to their own), page by page. */
export async function listAllDevices(api: ApiClient) {
  const all = [];
  for (let offset = 0; ; offset += pageLimit) {
    const page = await api.get('/api/devices', devicePageSchema, { limit: pageLimit, offset });
    all.push(...page.items);
    if (page.items.length < pageLimit || all.length >= page.total) return all;
  }
}

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

async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index]!);
    }
  });
  await Promise.all(workers);
  return out;
}

export async function loadFleet(api: ApiClient): Promise<Fleet> {
  const [listed, atRisk, scored] = await Promise.all([
    listAllDevices(api),
    latestRisks(api, { minP: riskThresholds.watch }),
    api.getIfAvailable('/api/risks', riskListSchema, { limit: 1 }),
  ]);
  const risks = atRisk?.items ?? null;
  let presence: Fleet['presence'] = 'listed';
  let online = new Map<string, { online: boolean; lastSeen: string | null }>();
  if (listed.some((d) => d.online === undefined)) {
    if (listed.length <= perDevicePresenceLimit) {
      presence = 'per-device';
      const details = await mapBounded(listed, presenceConcurrency, (d) =>
        api.get(`/api/devices/${encodeURIComponent(d.id)}`, deviceDetailSchema),
      );
      online = new Map(details.map((d) => [d.id, { online: d.online, lastSeen: d.lastSeen }]));
    } else {
      presence = 'unknown';
    }
  }

  const risksByDevice = new Map<string, Risk[]>();
  for (const risk of risks ?? []) {
    const list = risksByDevice.get(risk.deviceId);
    if (list) list.push(risk);
    else risksByDevice.set(risk.deviceId, [risk]);
  }

  const devices: FleetDevice[] = listed.map((d) => {
    const state = online.get(d.id);
    const isOnline = d.online ?? state?.online ?? null;
    const deviceRisks = risksByDevice.get(d.id) ?? [];
    return {
      id: d.id,
      model: d.model,
      serial: d.serial,
      customerId: d.customerId,
      location: d.location,
      installedAt: d.installedAt,
      createdAt: d.createdAt,
      online: isOnline,
      lastSeen: d.lastSeen ?? state?.lastSeen ?? null,
      health: deviceHealth(isOnline, deviceRisks, fleetHealthRules),
      maxPFail: deviceRisks.length ? Math.max(...deviceRisks.map((r) => r.pFail)) : null,
    };
  });
  const byId = new Map(devices.map((d) => [d.id, d]));
  return {
    devices,
    risks: risks === null ? null : risks.map((r) => toRiskRow(r, byId.get(r.deviceId))),
    scoredComponents: scored?.total ?? 0,
    risksFrom: riskThresholds.watch,
    presence,
  };
}

export interface ModelHealthRow {
  model: DeviceModel;
  label: string;
  total: number;
  counts: HealthCounts;
}

export function healthByModel(devices: readonly FleetDevice[]): {
  rows: ModelHealthRow[];
  totals: HealthCounts;
} {
  const rows = new Map<DeviceModel, ModelHealthRow>(
    modelOrder.map((model) => [model, { model, label: modelLabel(model), total: 0, counts: emptyCounts() }]),
  );
  const totals = emptyCounts();
  for (const d of devices) {
    const row = rows.get(d.model)!;
    row.total++;
    row.counts[d.health]++;
    totals[d.health]++;
  }
  return { rows: [...rows.values()].filter((r) => r.total > 0), totals };
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
    topRisks: summary.topRisks.map((r) => toRiskRow(r, undefined)),
  };
}
