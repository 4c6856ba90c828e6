import {
  areaOf,
  type DeviceCommand,
  type DeviceEvent,
  type DeviceModel,
  deviceModels,
  hashString,
  mixSeed,
  onLand,
  Rng,
  randomPointInDisc,
} from '@aftercare/core';
import { DeviceSimulator } from './device-simulator.ts';
import type { ClearedFailure, DeviceSpec, DeviceTick, RepairOutcome } from './device-spec.ts';
import { SimError } from './errors.ts';
import { streams } from './random.ts';
import { DAY_MS, defaultRegion, type Region, YEAR_MS } from './region.ts';

/**
 * Random failures per device-year. High for real appliances, on purpose: a 50-device demo shows
 * two or three failures per simulated week, and a year of history gives the models a few
 * hundred failures to learn from.
 */
export const defaultFailureRate = 3;

/** Share of each model in a fleet when none is given: what AMC customers typically own. */
export const defaultModelMix: Readonly<Record<DeviceModel, number>> = {
  'split-ac': 0.35,
  refrigerator: 0.25,
  'water-purifier': 0.2,
  'washing-machine': 0.2,
};

const modelCodes: Readonly<Record<DeviceModel, string>> = {
  'split-ac': 'ac',
  refrigerator: 'rf',
  'water-purifier': 'wp',
  'washing-machine': 'wm',
};

export interface FleetOptions {
  seed: number;
  devices: number;
  /** Relative weights per model; models left out get none. */
  models?: Partial<Record<DeviceModel, number>>;
  /** Epoch ms: devices were installed before it, and simulators start there. */
  start: number;
  failureRate?: number;
  /** Device ids are `{idPrefix}{model code}-{number}`, e.g. `sim-ac-00001`. */
  idPrefix?: string;
  region?: Region;
  /** Virtual time a sample summarises, for `sampleAt`. Default 60 s. */
  intervalMs?: number;
  autoRepair?: boolean;
}

/**
 * Spreads models over the fleet by smooth weighted round robin: exact shares, interleaved, and a
 * four-device fleet with the default mix gets one of each.
 */
export function assignModels(count: number, weights: Partial<Record<DeviceModel, number>>): DeviceModel[] {
  const entries = deviceModels
    .map((model) => [model, weights[model] ?? 0] as const)
    .filter(([, weight]) => weight > 0);
  if (entries.length === 0)
    throw new SimError('SIM_BAD_OPTIONS', 'the model mix gives no model a positive share');
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  const current = new Map<DeviceModel, number>(entries.map(([m]) => [m, 0]));
  const result: DeviceModel[] = [];
  for (let i = 0; i < count; i++) {
    let best: DeviceModel = entries[0]![0];
    for (const [model, weight] of entries) {
      current.set(model, current.get(model)! + weight);
      if (current.get(model)! > current.get(best)!) best = model;
    }
    current.set(best, current.get(best)! - total);
    result.push(best);
  }
  return result;
}

/** The units of a fleet: ids, serials, where they are and when they were installed. */
export function fleetSpecs(options: FleetOptions): DeviceSpec[] {
  const region = options.region ?? defaultRegion;
  const prefix = options.idPrefix ?? 'sim-';
  const models = assignModels(options.devices, options.models ?? defaultModelMix);
  const width = Math.max(5, String(options.devices).length);
  return models.map((model, index) => {
    const id = `${prefix}${modelCodes[model]}-${String(index + 1).padStart(width, '0')}`;
    const rng = new Rng(mixSeed(options.seed, streams.fleet, index));
    const installedAt = Math.round((options.start - rng.uniform(0.25, 5) * YEAR_MS) / 60_000) * 60_000;
    const year = new Date(installedAt).getUTCFullYear() % 100;
    const week =
      Math.floor((installedAt - Date.UTC(new Date(installedAt).getUTCFullYear(), 0, 1)) / (7 * DAY_MS)) + 1;
    const serial = `${modelCodes[model].toUpperCase()}${year}${String(week).padStart(2, '0')}-${rng.int(0xffffff).toString(16).toUpperCase().padStart(6, '0')}`;
    const { lat, lon } = onLand(region, randomPointInDisc(rng, region.center, region.radiusKm));
    const houseNumber = 1 + rng.int(240);
    // The area is where the device stands (it was once drawn at random, so a device in the north could
    // read "Tambaram"); the draw stays, unused, so every later draw and every fleet stays as it was.
    rng.pick(region.areas);
    const spec: DeviceSpec = {
      id,
      model,
      serial,
      location: { lat, lon, address: `${houseNumber}, ${areaOf(region, { lat, lon })}, ${region.name}` },
      installedAt,
      seed: mixSeed(options.seed, hashString(id)),
      fleetSeed: options.seed,
      failureRate: options.failureRate ?? defaultFailureRate,
    };
    if (options.region) spec.region = options.region;
    return spec;
  });
}

/** A fleet of simulators stepped together; the service side repairs devices and sends commands through it. */
export class Fleet {
  readonly specs: readonly DeviceSpec[];
  readonly intervalMs: number;
  private readonly simulators = new Map<string, DeviceSimulator>();
  private failures = 0;

  constructor(
    specs: readonly DeviceSpec[],
    start: number,
    options: { intervalMs?: number; autoRepair?: boolean } = {},
  ) {
    this.specs = specs;
    this.intervalMs = options.intervalMs ?? 60_000;
    for (const spec of specs) {
      const opts = options.autoRepair === undefined ? {} : { autoRepair: options.autoRepair };
      this.simulators.set(spec.id, new DeviceSimulator(spec, start, opts));
    }
  }

  get failuresInjected(): number {
    return this.failures;
  }

  simulator(deviceId: string): DeviceSimulator {
    const sim = this.simulators.get(deviceId);
    if (!sim) throw new SimError('SIM_UNKNOWN_DEVICE', `no simulated device ${deviceId}`);
    return sim;
  }

  /** Every device's tick for the interval ending at `ts`; call with increasing `ts`. */
  *sampleAt(ts: number, intervalMs = this.intervalMs): Generator<DeviceTick> {
    for (const sim of this.simulators.values()) {
      const tick = sim.step(ts, intervalMs);
      this.failures += tick.groundTruth.length;
      yield tick;
    }
  }

  repair(deviceId: string, at: number, options?: { failureModes?: readonly string[] }): RepairOutcome {
    return this.simulator(deviceId).repair(at, options);
  }

  /** The device's answer to a command, and the failures it cleared. */
  command(
    deviceId: string,
    command: DeviceCommand,
    at: number,
  ): { answer: DeviceEvent; cleared: ClearedFailure[] } {
    return this.simulator(deviceId).runCommand(command, at);
  }
}

export function createFleet(options: FleetOptions): Fleet {
  const opts: { intervalMs?: number; autoRepair?: boolean } = {};
  if (options.intervalMs !== undefined) opts.intervalMs = options.intervalMs;
  if (options.autoRepair !== undefined) opts.autoRepair = options.autoRepair;
  return new Fleet(fleetSpecs(options), options.start, opts);
}
