/**
 * A device's health as the fleet overview counts it: one state per device, in this order of
 * precedence, so that every device is counted exactly once.
 *
 * - failed: a component's risk says the failure is here (no days left, probability at or above
 *   `failedProbability`);
 * - at risk: a component's probability of failure within the horizon is at or above `atRiskProbability`;
 * - offline: the device is not connected (what it last said can no longer be trusted);
 * - healthy: connected and no component at risk.
 *
 * Risks come from the models (GET /api/risks); presence from the broker (GET /api/devices/:id). The
 * two probabilities are core's `fleetHealthRules`, the service's own: the server passes them in, so
 * this module (which the browser loads for the labels) never imports core.
 */
export const healthStates = ['healthy', 'at_risk', 'failed', 'offline'] as const;
export type HealthState = (typeof healthStates)[number];

export const healthLabels: Readonly<Record<HealthState, string>> = {
  healthy: 'Healthy',
  at_risk: 'At risk',
  failed: 'Failed',
  offline: 'Offline',
};

/** The shape of core's `fleetHealthRules`. */
export interface HealthRules {
  atRiskProbability: number;
  failedProbability: number;
}

export interface RiskSignal {
  pFail: number;
  daysLeft: number | null;
}

export function isFailing(risk: RiskSignal, rules: HealthRules): boolean {
  return risk.pFail >= rules.failedProbability && risk.daysLeft !== null && risk.daysLeft <= 0;
}

/** `online` null means presence is unknown: the device is then judged on its risks alone. */
export function deviceHealth(
  online: boolean | null,
  risks: readonly RiskSignal[],
  rules: HealthRules,
): HealthState {
  if (risks.some((r) => isFailing(r, rules))) return 'failed';
  if (risks.some((r) => r.pFail >= rules.atRiskProbability)) return 'at_risk';
  if (online === false) return 'offline';
  return 'healthy';
}

export type HealthCounts = Record<HealthState, number>;

export function emptyCounts(): HealthCounts {
  return { healthy: 0, at_risk: 0, failed: 0, offline: 0 };
}
