import type { DeviceEvent, DeviceModel, TelemetrySample } from '@aftercare/core';
import type { Region } from './region.ts';

/** A failure planted on purpose (tests, demos); the fleet's random failures come on top of these. */
export interface InjectedFailure {
  /** A failure mode id of the device model in core's catalog. */
  failureMode: string;
  /** When the degradation starts to show (epoch ms). */
  onsetAt: number;
  /** When the component stops working (epoch ms). */
  failedAt: number;
}

/** Everything that makes one simulated unit what it is; the simulation is a pure function of it. */
export interface DeviceSpec {
  id: string;
  model: DeviceModel;
  serial: string;
  location: { lat: number; lon: number; address?: string };
  customerId?: string;
  /** Epoch ms. */
  installedAt: number;
  /** The unit's own seed: its manufacturing spread, usage habits and noise derive from it. */
  seed: number;
  /** The fleet's seed: the weather is shared by every device of a region. */
  fleetSeed: number;
  /** Expected random failures per device-year (0 = only `failures`). */
  failureRate: number;
  failures?: readonly InjectedFailure[];
  region?: Region;
}

/** Ground truth for the models: one record per failure that really happened in the simulation. */
export interface GroundTruthRecord {
  deviceId: string;
  model: DeviceModel;
  failureMode: string;
  component: string;
  onsetAt: number;
  failedAt: number;
}

/** What one device produced for one interval. */
export interface DeviceTick {
  deviceId: string;
  model: DeviceModel;
  sample: TelemetrySample & { seq: number };
  /** Events that happened up to the sample's timestamp, oldest first. */
  events: readonly DeviceEvent[];
  groundTruth: readonly GroundTruthRecord[];
}

/** A failure mode that is developing or has failed at the current tick. */
export interface ActiveMode {
  id: string;
  /** 0 at onset, growing to 1 at the failure time. */
  severity: number;
  failed: boolean;
}

export interface ClearedFailure {
  failureMode: string;
  component: string;
  onsetAt: number;
  failedAt: number;
  /** True when the repair came before the failure: a prevented failure. */
  prevented: boolean;
}

export interface RepairOutcome {
  deviceId: string;
  at: number;
  cleared: ClearedFailure[];
}
