/**
 * A device's health, one state per device (failed, at risk, offline, healthy, in that order of
 * precedence): the service judges it by core's `fleetHealthRules` (GET /api/fleet/summary and
 * /api/fleet/devices); the console only names and colours the states. This module is loaded in the
 * browser, so it never imports core.
 */
export const healthStates = ['healthy', 'at_risk', 'failed', 'offline'] as const;
export type HealthState = (typeof healthStates)[number];

export const healthLabels: Readonly<Record<HealthState, string>> = {
  healthy: 'Healthy',
  at_risk: 'At risk',
  failed: 'Failed',
  offline: 'Offline',
};

export type HealthCounts = Record<HealthState, number>;
