/**
 * How the simulator seeds its randomness. Every random choice derives from the fleet seed through
 * core's `mixSeed` and `Rng`, so one seed always gives the same fleet, the same telemetry and the
 * same failures.
 *
 * Noise is drawn from a generator re-seeded per device and time slot (a counter-based scheme), not
 * from one long stream: the value at a timestamp then does not depend on where a simulation window
 * started, so a year of history and a live run that continues it describe the same devices, and a
 * healthy twin with the same seed differs from a degrading one by exactly the degradation.
 */

/** Named streams keep unrelated draws apart: consuming one more failure draw must not shift the noise. */
export const streams = {
  unit: 1,
  noise: 2,
  schedule: 3,
  events: 4,
  day: 5,
  weather: 6,
  fleet: 7,
} as const;
