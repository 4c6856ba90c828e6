import type { DeviceModel } from '@aftercare/core';
import { DeviceSimulator, type DeviceSimulatorOptions } from './device-simulator.ts';
import type { DeviceSpec, DeviceTick } from './device-spec.ts';
import { fleetSpecs } from './fleet.ts';
import { HOUR_MS, type Region } from './region.ts';

/** The first sample time after `from` on the interval grid: samples summarise (ts − interval, ts]. */
export function firstSampleAt(from: number, intervalMs: number): number {
  return Math.floor(from / intervalMs) * intervalMs + intervalMs;
}

/** One device from `from` to `to` (inclusive), one tick per interval on the interval grid. */
export function* simulateDevice(
  spec: DeviceSpec,
  from: number,
  to: number,
  intervalMs: number,
  options: DeviceSimulatorOptions = {},
): Generator<DeviceTick> {
  const sim = new DeviceSimulator(spec, from, options);
  for (let ts = firstSampleAt(from, intervalMs); ts <= to; ts += intervalMs) yield sim.step(ts, intervalMs);
}

export interface HistoryOptions {
  seed: number;
  /** A number builds a fleet installed before `from`; pass the specs to continue a known fleet. */
  devices: number | readonly DeviceSpec[];
  from: number;
  to: number;
  /** Default one hour. */
  intervalMs?: number;
  models?: Partial<Record<DeviceModel, number>>;
  failureRate?: number;
  idPrefix?: string;
  region?: Region;
  /**
   * `device` (default): each device's whole range, then the next — one simulator in memory at a
   * time. `time`: every device at each timestamp, for consumers that need global time order.
   */
  order?: 'device' | 'time';
  autoRepair?: boolean;
}

/** The fleet's specs a history run uses, so callers can provision or describe the same devices. */
export function historySpecs(options: HistoryOptions): readonly DeviceSpec[] {
  if (typeof options.devices !== 'number') return options.devices;
  return fleetSpecs({
    seed: options.seed,
    devices: options.devices,
    start: options.from,
    ...(options.models ? { models: options.models } : {}),
    ...(options.failureRate !== undefined ? { failureRate: options.failureRate } : {}),
    ...(options.idPrefix !== undefined ? { idPrefix: options.idPrefix } : {}),
    ...(options.region ? { region: options.region } : {}),
  });
}

/**
 * Streams a fleet's history: telemetry, firmware events and ground truth, tick by tick. Memory stays
 * flat however long the range: nothing is kept but the simulators' small state.
 */
export function* generateHistory(options: HistoryOptions): Generator<DeviceTick> {
  const specs = historySpecs(options);
  const intervalMs = options.intervalMs ?? HOUR_MS;
  const simOptions: DeviceSimulatorOptions =
    options.autoRepair === undefined ? {} : { autoRepair: options.autoRepair };
  if ((options.order ?? 'device') === 'device') {
    for (const spec of specs) yield* simulateDevice(spec, options.from, options.to, intervalMs, simOptions);
    return;
  }
  const sims = specs.map((spec) => new DeviceSimulator(spec, options.from, simOptions));
  for (let ts = firstSampleAt(options.from, intervalMs); ts <= options.to; ts += intervalMs) {
    for (const sim of sims) yield sim.step(ts, intervalMs);
  }
}
