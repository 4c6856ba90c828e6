import {
  catalog,
  type DeviceModel,
  deviceModels,
  metricNameSchema,
  parseTelemetryPayload,
} from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import type { DeviceSpec, DeviceTick } from './device-spec.ts';
import { fleetSpecs } from './fleet.ts';
import { generateHistory, simulateDevice } from './history.ts';
import { DAY_MS, defaultRegion, HOUR_MS, localTime } from './region.ts';

const start = Date.UTC(2025, 3, 1);

function healthySpec(model: DeviceModel, seed = 11): DeviceSpec {
  return fleetSpecs({ seed, devices: 1, models: { [model]: 1 }, start, failureRate: 0 })[0]!;
}

function collect(spec: DeviceSpec, days: number, intervalMs = HOUR_MS, from = start): DeviceTick[] {
  return [...simulateDevice(spec, from, from + days * DAY_MS, intervalMs)];
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** What a physical sensor of each metric can report at all, healthy or not. */
const plausible: Record<string, readonly [number, number]> = {
  supply_air_temp_c: [0, 45],
  return_air_temp_c: [15, 45],
  outdoor_temp_c: [10, 48],
  compressor_current_a: [0, 12],
  discharge_temp_c: [10, 120],
  suction_pressure_kpa: [0, 1600],
  condenser_fan_rpm: [0, 1100],
  power_w: [0, 3000],
  vibration_mm_s: [0, 8],
  cabinet_temp_c: [-5, 20],
  freezer_temp_c: [-30, 10],
  evaporator_temp_c: [-35, 30],
  compressor_duty_pct: [0, 100],
  door_open_count: [0, 60],
  defrost_heater_current_a: [0, 2],
  ambient_temp_c: [10, 45],
  tds_in_ppm: [50, 1500],
  tds_out_ppm: [0, 300],
  membrane_pressure_kpa: [0, 900],
  flow_lpm: [0, 3],
  pump_current_a: [0, 2],
  uv_intensity_pct: [0, 100],
  filter_liters_total: [0, 20_000],
  drum_vibration_g: [0, 3],
  motor_current_a: [0, 8],
  drum_rpm: [0, 1600],
  inlet_flow_lpm: [0, 20],
  drain_time_s: [0, 900],
  heater_current_a: [0, 12],
  water_temp_c: [5, 95],
  cycle_count: [0, 20_000],
};

describe('device models', () => {
  it('are deterministic: the same seed gives identical telemetry and events, another seed does not', () => {
    const run = (seed: number) => [
      ...generateHistory({ seed, devices: 8, from: start, to: start + 20 * DAY_MS }),
    ];
    const a = run(42);
    expect(run(42)).toEqual(a);
    const b = run(43);
    expect(b.map((t) => t.sample.metrics)).not.toEqual(a.map((t) => t.sample.metrics));
  });

  it('give each unit its own character: two healthy units of one model differ', () => {
    const [first, second] = fleetSpecs({
      seed: 1,
      devices: 2,
      models: { refrigerator: 1 },
      start,
      failureRate: 0,
    });
    const current = (spec: DeviceSpec) =>
      mean(collect(spec, 14).map((t) => t.sample.metrics.compressor_current_a!));
    expect(current(first!)).not.toBeCloseTo(current(second!), 2);
  });

  for (const model of deviceModels) {
    it(`${model}: reports every catalog metric, by its unit-suffixed name, finite and plausible when healthy`, () => {
      const names = catalog[model].metrics.map((m) => m.name);
      for (const seed of [1, 2, 3]) {
        for (const tick of collect(healthySpec(model, seed), 30)) {
          expect(Object.keys(tick.sample.metrics).sort()).toEqual([...names].sort());
          for (const [name, value] of Object.entries(tick.sample.metrics)) {
            expect(metricNameSchema.safeParse(name).success).toBe(true);
            expect(Number.isFinite(value), `${name} = ${value}`).toBe(true);
            const [min, max] = plausible[name]!;
            expect(value, `${model} ${name}`).toBeGreaterThanOrEqual(min);
            expect(value, `${model} ${name}`).toBeLessThanOrEqual(max);
          }
        }
      }
    });

    it(`${model}: keeps healthy operating readings mostly inside the catalog's healthy ranges`, () => {
      const ticks = collect(healthySpec(model, 5), 60);
      for (const spec of catalog[model].metrics) {
        // An air conditioner that is switched off is not operating; its idle readings do not count.
        const operating = ticks.filter(
          (t) => model !== 'split-ac' || t.sample.metrics.compressor_current_a! > 0,
        );
        const inside = operating.filter((t) => {
          const v = t.sample.metrics[spec.name]!;
          return v >= spec.healthy[0] && v <= spec.healthy[1];
        });
        expect(inside.length / operating.length, spec.name).toBeGreaterThan(0.8);
      }
    });

    it(`${model}: samples carry an increasing per-device seq and validate as telemetry payloads`, () => {
      const ticks = collect(healthySpec(model), 2, 60_000);
      for (let i = 1; i < ticks.length; i++) expect(ticks[i]!.sample.seq).toBe(ticks[i - 1]!.sample.seq + 1);
      const payload = JSON.stringify(ticks.slice(0, 500).map((t) => t.sample));
      const parsed = parseTelemetryPayload(payload, Date.now());
      expect(parsed.ok).toBe(true);
    });
  }

  it('split-ac: outdoor air, and the room air returning to a running unit, are warmer in the afternoon than before dawn', () => {
    const specs = fleetSpecs({ seed: 8, devices: 12, models: { 'split-ac': 1 }, start, failureRate: 0 });
    const ticks = specs.flatMap((spec) => collect(spec, 30));
    const at = (from: number, to: number, metric: string, runningOnly: boolean) =>
      mean(
        ticks
          .filter((t) => {
            const h = localTime(t.sample.ts - HOUR_MS / 2, defaultRegion).hour;
            return h >= from && h < to && (!runningOnly || t.sample.metrics.compressor_current_a! > 0);
          })
          .map((t) => t.sample.metrics[metric]!),
      );
    expect(at(14, 16, 'outdoor_temp_c', false)).toBeGreaterThan(at(4, 6, 'outdoor_temp_c', false) + 4);
    // A unit under the afternoon heat load holds its room less close to the set point.
    expect(at(14, 16, 'return_air_temp_c', true)).toBeGreaterThan(at(3, 6, 'return_air_temp_c', true) + 0.3);
  });

  it('split-ac: cools by 8–14 °C (return − supply) while running a whole interval', () => {
    const running = collect(healthySpec('split-ac', 2), 30, 15 * 60_000).filter(
      (t, i, all) =>
        t.sample.metrics.compressor_current_a! > 0 &&
        (all[i - 1]?.sample.metrics.compressor_current_a ?? 0) > 0,
    );
    const deltas = running.map(
      (t) => t.sample.metrics.return_air_temp_c! - t.sample.metrics.supply_air_temp_c!,
    );
    expect(running.length).toBeGreaterThan(100);
    expect(mean(deltas)).toBeGreaterThan(8);
    expect(mean(deltas)).toBeLessThan(14);
  });

  it('refrigerator: doors open at meal times, hardly at night', () => {
    const ticks = collect(healthySpec('refrigerator'), 30);
    const opens = (from: number, to: number) =>
      mean(
        ticks
          .filter((t) => {
            const h = localTime(t.sample.ts - HOUR_MS / 2, defaultRegion).hour;
            return h >= from && h < to;
          })
          .map((t) => t.sample.metrics.door_open_count!),
      );
    expect(opens(19, 21)).toBeGreaterThan(4 * opens(1, 5));
  });

  it('water-purifier: draws in bursts, and filter litres only grow with use until the filters are changed', () => {
    const ticks = collect(healthySpec('water-purifier'), 60, 15 * 60_000);
    const litres = ticks.map((t) => t.sample.metrics.filter_liters_total!);
    const steps = litres.slice(1).map((v, i) => v - litres[i]!);
    expect(steps.filter((s) => s > 0).length).toBeGreaterThan(100);
    // Most quarter hours draw nothing: water comes in bursts.
    expect(steps.filter((s) => s === 0).length).toBeGreaterThan(steps.length / 2);
    const resets = steps.filter((s) => s < 0);
    expect(resets.length).toBeLessThanOrEqual(1);
  });

  it('washing-machine: runs a few cycles a day, with spins at speed and a growing cycle count', () => {
    const ticks = collect(healthySpec('washing-machine', 4), 30, 5 * 60_000);
    const counts = ticks.map((t) => t.sample.metrics.cycle_count!);
    const cycles = counts[counts.length - 1]! - counts[0]!;
    expect(cycles).toBeGreaterThan(10);
    expect(cycles).toBeLessThan(30 * 4);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]!);
    expect(ticks.some((t) => t.sample.metrics.drum_rpm! >= 800)).toBe(true);
    expect(ticks.filter((t) => t.sample.metrics.drum_rpm === 0).length).toBeGreaterThan(ticks.length / 2);
  });

  it('describe the same device whichever window is simulated (history and a later live run agree)', () => {
    for (const model of ['split-ac', 'refrigerator'] as const) {
      const spec = healthySpec(model);
      const whole = collect(spec, 10);
      const later = [...simulateDevice(spec, start + 4 * DAY_MS, start + 10 * DAY_MS, HOUR_MS)];
      expect(later).toEqual(whole.filter((t) => t.sample.ts > start + 4 * DAY_MS));
    }
  });
});
