import {
  type DeviceModel,
  deviceModels,
  type FleetSummaryBody,
  fleetHealthRules,
  type HealthCountsBody,
  type Risk,
} from '@aftercare/core';
import { type HealthSignal, judgeFleetHealth } from './fleet-health.ts';

const emptyCounts = (): HealthCountsBody => ({ healthy: 0, at_risk: 0, failed: 0, offline: 0 });

/**
 * Counts devices by model and health (each judged once by `judgeFleetHealth`) and picks the `top`
 * most likely failures among them. Risks of devices outside `devices` are ignored, so a scoped
 * caller's figures never include another customer's devices.
 */
export function summarizeFleet(
  devices: readonly { id: string; model: DeviceModel }[],
  risks: { risks: readonly HealthSignal[]; atRisk: readonly Risk[] },
  isOnline: (deviceId: string) => boolean,
  top = 0,
): FleetSummaryBody {
  const fleet = judgeFleetHealth(devices, risks.risks, isOnline);
  const { scoredComponents, atRiskComponents, lastScoredAt } = fleet;
  const byModel = new Map<DeviceModel, { devices: number; counts: HealthCountsBody }>();
  const totals = emptyCounts();
  let online = 0;
  for (const d of devices) {
    const { health, online: connected } = fleet.devices.get(d.id)!;
    if (connected) online++;
    let row = byModel.get(d.model);
    if (!row) {
      row = { devices: 0, counts: emptyCounts() };
      byModel.set(d.model, row);
    }
    row.devices++;
    row.counts[health]++;
    totals[health]++;
  }

  return {
    devices: devices.length,
    online,
    byModel: deviceModels
      .filter((model) => byModel.has(model))
      .map((model) => ({ model, ...byModel.get(model)! })),
    totals,
    risks: { scoredComponents, atRiskComponents, lastScoredAt },
    topRisks: top > 0 ? firstOf(risks.atRisk, top, (r) => fleet.devices.has(r.deviceId)) : [],
    rules: { ...fleetHealthRules },
  };
}

function firstOf<T>(items: readonly T[], n: number, keep: (item: T) => boolean): T[] {
  const out: T[] = [];
  for (const item of items) {
    if (out.length >= n) break;
    if (keep(item)) out.push(item);
  }
  return out;
}
