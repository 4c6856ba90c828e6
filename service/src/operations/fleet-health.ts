import { type FleetHealthState, fleetHealthRules } from '@aftercare/core';

/** What a device's health is judged from: its newest risk per component. */
export interface HealthSignal {
  deviceId: string;
  pFail: number;
  daysLeft: number | null;
  scoredAt: number;
}

export interface DeviceHealth {
  health: FleetHealthState;
  online: boolean;
  /** The highest probability among the device's components; null when none was scored. */
  maxPFail: number | null;
}

export interface FleetHealth {
  /** One entry per device judged. */
  devices: Map<string, DeviceHealth>;
  /** Device × component pairs with a score, among the devices judged. */
  scoredComponents: number;
  /** Of those, at or above the at-risk probability. */
  atRiskComponents: number;
  /** Epoch ms of the newest score among them; null when nothing was scored. */
  lastScoredAt: number | null;
}

function isFailing(risk: HealthSignal): boolean {
  return risk.pFail >= fleetHealthRules.failedProbability && risk.daysLeft !== null && risk.daysLeft <= 0;
}

/**
 * Each device's health by `fleetHealthRules`, in one pass over the devices and one over their newest
 * risks: failed, then at risk, then offline, then healthy. Risks of devices outside `devices` are
 * ignored, so a scoped caller's figures never include another customer's devices.
 */
export function judgeFleetHealth(
  devices: readonly { id: string }[],
  risks: readonly HealthSignal[],
  isOnline: (deviceId: string) => boolean,
): FleetHealth {
  const judged = new Map<string, DeviceHealth>();
  for (const d of devices) {
    const online = isOnline(d.id);
    judged.set(d.id, { health: online ? 'healthy' : 'offline', online, maxPFail: null });
  }
  let scoredComponents = 0;
  let atRiskComponents = 0;
  let lastScoredAt: number | null = null;
  for (const risk of risks) {
    const device = judged.get(risk.deviceId);
    if (device === undefined) continue;
    scoredComponents++;
    if (lastScoredAt === null || risk.scoredAt > lastScoredAt) lastScoredAt = risk.scoredAt;
    if (device.maxPFail === null || risk.pFail > device.maxPFail) device.maxPFail = risk.pFail;
    const atRisk = risk.pFail >= fleetHealthRules.atRiskProbability;
    if (atRisk) atRiskComponents++;
    if (isFailing(risk)) device.health = 'failed';
    else if (atRisk && device.health !== 'failed') device.health = 'at_risk';
  }
  return { devices: judged, scoredComponents, atRiskComponents, lastScoredAt };
}
