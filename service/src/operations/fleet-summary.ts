import {
  type DeviceModel,
  deviceModels,
  type FleetHealthState,
  type FleetSummaryBody,
  fleetHealthRules,
  type HealthCountsBody,
  type Risk,
} from '@aftercare/core';

/** What a device's health is judged from: its newest risk per component. */
export interface HealthSignal {
  deviceId: string;
  pFail: number;
  daysLeft: number | null;
  scoredAt: number;
}

const emptyCounts = (): HealthCountsBody => ({ healthy: 0, at_risk: 0, failed: 0, offline: 0 });

function isFailing(risk: HealthSignal): boolean {
  return risk.pFail >= fleetHealthRules.failedProbability && risk.daysLeft !== null && risk.daysLeft <= 0;
}

/**
 * Counts devices by model and health in one pass over the devices and one over their newest risks
 * (rules: `fleetHealthRules`), and picks the `top` most likely failures among them. Risks of devices
 * outside `devices` are ignored, so a scoped caller's figures never include another customer's devices.
 */
export function summarizeFleet(
  devices: readonly { id: string; model: DeviceModel }[],
  risks: { risks: readonly HealthSignal[]; atRisk: readonly Risk[] },
  isOnline: (deviceId: string) => boolean,
  top = 0,
): FleetSummaryBody {
  const worst = new Map<string, 'failed' | 'at_risk' | 'scored'>();
  for (const d of devices) worst.set(d.id, 'scored');
  let scoredComponents = 0;
  let atRiskComponents = 0;
  let lastScoredAt: number | null = null;
  for (const risk of risks.risks) {
    const current = worst.get(risk.deviceId);
    if (current === undefined) continue;
    scoredComponents++;
    if (lastScoredAt === null || risk.scoredAt > lastScoredAt) lastScoredAt = risk.scoredAt;
    if (risk.pFail >= fleetHealthRules.atRiskProbability) atRiskComponents++;
    if (isFailing(risk)) worst.set(risk.deviceId, 'failed');
    else if (current === 'scored' && risk.pFail >= fleetHealthRules.atRiskProbability)
      worst.set(risk.deviceId, 'at_risk');
  }

  const byModel = new Map<DeviceModel, { devices: number; counts: HealthCountsBody }>();
  const totals = emptyCounts();
  let online = 0;
  for (const d of devices) {
    const connected = isOnline(d.id);
    if (connected) online++;
    const flag = worst.get(d.id);
    const state: FleetHealthState =
      flag === 'failed' ? 'failed' : flag === 'at_risk' ? 'at_risk' : connected ? 'healthy' : 'offline';
    let row = byModel.get(d.model);
    if (!row) {
      row = { devices: 0, counts: emptyCounts() };
      byModel.set(d.model, row);
    }
    row.devices++;
    row.counts[state]++;
    totals[state]++;
  }

  return {
    devices: devices.length,
    online,
    byModel: deviceModels
      .filter((model) => byModel.has(model))
      .map((model) => ({ model, ...byModel.get(model)! })),
    totals,
    risks: { scoredComponents, atRiskComponents, lastScoredAt },
    topRisks: top > 0 ? firstOf(risks.atRisk, top, (r) => worst.has(r.deviceId)) : [],
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
