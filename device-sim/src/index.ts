/**
 * @aftercare/device-sim: simulated devices that speak the catalog's vocabulary (core's catalog.ts),
 * so a failure injected here is the failure mode the models name.
 *
 * - Pure simulation (no I/O, deterministic from a seed): `createFleet`, `DeviceSimulator`,
 *   `simulateDevice`, `generateHistory`.
 * - Adapters at the edges: `runFleet` and `runLoad` (MQTT), `provisionDevices` (service API).
 */

export { hashString, mixSeed, Rng } from '@aftercare/core';
export { DeviceSimulator, type DeviceSimulatorOptions } from './device-simulator.ts';
export type {
  ActiveMode,
  ClearedFailure,
  DeviceSpec,
  DeviceTick,
  GroundTruthRecord,
  InjectedFailure,
  RepairOutcome,
} from './device-spec.ts';
export { SimError, type SimErrorCode } from './errors.ts';
export { correctiveRepairDays } from './failure-schedule.ts';
export {
  assignModels,
  createFleet,
  defaultFailureRate,
  defaultModelMix,
  Fleet,
  type FleetOptions,
  fleetSpecs,
} from './fleet.ts';
export {
  firstSampleAt,
  generateHistory,
  type HistoryOptions,
  historySpecs,
  simulateDevice,
} from './history.ts';
export { deviceLine, type HistoryFileRecord, tickLines } from './history-file.ts';
export type { DeviceModelSim, ErrorCodeSpec, MetricEffect, ModeBehaviour } from './models/index.ts';
export { modelSims, severityAt } from './models/index.ts';
export type { LinkCounters } from './mqtt/device-link.ts';
export {
  type FleetProgress,
  type FleetRun,
  type RunFleetOptions,
  runFleet,
  type SimulatedDeviceCredentials,
} from './mqtt/fleet-runner.ts';
export {
  type LoadDevice,
  type LoadProgress,
  type LoadReport,
  type RunLoadOptions,
  runLoad,
} from './mqtt/load-runner.ts';
export {
  type ProvisionedDevice,
  type ProvisionOptions,
  type ProvisionResult,
  provisionBody,
  provisionDevices,
} from './provisioning/provision-devices.ts';
export { readSecrets, secretsFileName, secretsFilePath, writeSecrets } from './provisioning/secrets-file.ts';
export {
  DAY_MS,
  defaultRegion,
  HOUR_MS,
  type LocalTime,
  localTime,
  outdoorTempC,
  type Region,
  YEAR_MS,
} from './region.ts';
export { VirtualClock } from './virtual-clock.ts';
