import { mixSeed, Rng } from '@aftercare/core';
import type { ActiveMode, DeviceSpec } from '../device-spec.ts';
import { streams } from '../random.ts';
import { defaultRegion, localDay, localDayStart, outdoorTempC, type Region, YEAR_MS } from '../region.ts';
import {
  applyEffects,
  type DeviceModelSim,
  type Gates,
  isFailed,
  type ModeBehaviour,
  round,
  type UnitModel,
} from './device-model.ts';
import { type Cycle, cycleCount, cycleDay, cyclePhase, type WasherUnit } from './wash-cycles.ts';

const behaviours: Record<string, ModeBehaviour> = {
  drum_bearing_wear: {
    effects: {
      drum_vibration_g: { add: 0.5 },
      motor_current_a: { mul: 0.4 },
    },
    error: {
      code: 'wm.motor_lock',
      message: 'Drum motor locked or overloaded',
      fromSeverity: 0.9,
      perDay: 1,
    },
  },
  drain_pump_clog: {
    effects: { drain_time_s: { add: 160 } },
    error: {
      code: 'wm.drain_slow',
      message: 'Drain took longer than expected',
      fromSeverity: 0.6,
      perDay: 1,
    },
  },
  heater_element_failure: {
    effects: {
      heater_current_a: { mul: -0.65 },
      // Scaled by the heating span: a cold wash shows nothing, a 60 °C wash falls short the most.
      water_temp_c: { add: -24, gate: 'hot' },
    },
    error: {
      code: 'wm.heater_timeout',
      message: 'Water did not reach the set temperature',
      fromSeverity: 0.5,
      perDay: 1,
    },
  },
  suspension_wear: {
    effects: { drum_vibration_g: { add: 0.7 } },
    error: { code: 'wm.unbalance', message: 'Spin aborted: load unbalanced', fromSeverity: 0.5, perDay: 2 },
  },
};

function createWasherUnit(spec: DeviceSpec): WasherUnit {
  const rng = new Rng(mixSeed(spec.seed, streams.unit));
  return {
    cyclesPerDay: rng.uniform(0.6, 1.8),
    inletFlowLpm: rng.uniform(7, 11),
    drainTimeS: rng.uniform(48, 68),
    heaterA: rng.uniform(8, 8.8),
    motorA: rng.uniform(1.9, 2.5),
    vibrationG: rng.uniform(0.14, 0.22),
    maxSpinRpm: rng.pick([1000, 1200, 1400]),
  };
}

/**
 * Reports what a washer's firmware knows: the drum speed during the interval and the figures of
 * the last completed cycle (vibration at its spin, its drain time, the water temperature it
 * reached…), which are held until the next cycle completes.
 */
class WashingMachineUnit implements UnitModel {
  usageDays = 0;
  private readonly unit: WasherUnit;
  private readonly region: Region;
  private readonly gates: Gates = { always: 1, run: 1, duty: 1, hot: 0 };
  private readonly days = new Map<number, readonly Cycle[]>();
  private cycles = 0;
  private lastTs: number;
  private held: Record<string, number>;

  constructor(
    private readonly spec: DeviceSpec,
    at: number,
  ) {
    this.unit = createWasherUnit(spec);
    this.region = spec.region ?? defaultRegion;
    this.lastTs = at;
    this.cycles = this.countCompletedBefore(at);
    this.held = this.initialHeld(at);
  }

  repaired(): void {}

  private day(day: number): readonly Cycle[] {
    let cached = this.days.get(day);
    if (!cached) {
      cached = cycleDay(
        this.spec.seed,
        this.unit,
        day,
        localDayStart(day, this.region),
        this.inletTempC(day),
      );
      this.days.set(day, cached);
      // Only the current and previous days are ever read again.
      for (const key of this.days.keys()) if (key < day - 2) this.days.delete(key);
    }
    return cached;
  }

  private inletTempC(day: number): number {
    return (
      0.35 * outdoorTempC(this.region, this.spec.fleetSeed, localDayStart(day, this.region) + 43_200_000) + 17
    );
  }

  private countCompletedBefore(at: number): number {
    const installDay = localDay(this.spec.installedAt, this.region);
    const today = localDay(at, this.region);
    const rng = new Rng(0);
    let count = 0;
    // Whole days only need their count; the last two days need end times (a late cycle can end after midnight).
    for (let d = installDay + 1; d < today - 1; d++) count += cycleCount(this.spec.seed, this.unit, d, rng);
    for (let d = Math.max(installDay + 1, today - 1); d <= today; d++) {
      for (const c of this.day(d)) if (c.end <= at) count++;
    }
    return count;
  }

  private initialHeld(at: number): Record<string, number> {
    const today = localDay(at, this.region);
    for (let d = today; d > today - 30; d--) {
      const cycles = this.day(d).filter((c) => c.end <= at);
      const last = cycles[cycles.length - 1];
      if (last) {
        const heated = [...cycles].reverse().find((c) => c.heated);
        const stats = this.cycleStats(last, []);
        stats.heater_current_a = heated ? this.unit.heaterA + heated.noise.heater : this.unit.heaterA;
        return stats;
      }
    }
    const u = this.unit;
    return {
      drum_vibration_g: u.vibrationG + 0.05,
      motor_current_a: u.motorA,
      inlet_flow_lpm: u.inletFlowLpm,
      drain_time_s: u.drainTimeS,
      heater_current_a: u.heaterA,
      water_temp_c: this.inletTempC(today),
    };
  }

  private cycleStats(c: Cycle, active: readonly ActiveMode[]): Record<string, number> {
    const u = this.unit;
    const age = (c.end - this.spec.installedAt) / YEAR_MS;
    const stats: Record<string, number> = {
      drum_vibration_g: u.vibrationG + 0.5 * c.imbalance + c.noise.vibration,
      motor_current_a: u.motorA * (1 + 0.15 * c.loadFraction) * (1 + 0.02 * age) + c.noise.motor,
      inlet_flow_lpm: u.inletFlowLpm + c.noise.inlet,
      drain_time_s: u.drainTimeS * (1 + 0.03 * age) + c.noise.drain,
      // The thermostat stops heating at the set point; the reading settles a little below it.
      water_temp_c: c.heated ? c.setTempC - 0.8 + c.noise.temp / 2 : c.inletTempC + c.noise.temp / 3,
    };
    if (c.heated) stats.heater_current_a = u.heaterA + c.noise.heater;
    if (active.length > 0) {
      this.gates.hot = c.heated ? (c.setTempC - c.inletTempC) / 30 : 0;
      applyEffects(stats, behaviours, active, this.gates);
      if (isFailed(active, 'drum_bearing_wear')) {
        stats.drum_vibration_g = 1.4;
        stats.motor_current_a = 5.5;
      }
      if (isFailed(active, 'suspension_wear')) stats.drum_vibration_g = 1.6;
      if (isFailed(active, 'drain_pump_clog')) stats.drain_time_s = 600;
      if (isFailed(active, 'heater_element_failure') && c.heated) {
        stats.heater_current_a = 0;
        stats.water_temp_c = c.inletTempC + c.noise.temp / 3;
      }
    }
    return stats;
  }

  sample(ts: number, intervalMs: number, active: readonly ActiveMode[]): Record<string, number> {
    const from = Math.max(this.lastTs, ts - intervalMs);
    this.lastTs = ts;
    let rpm = 0;
    let ended = 0;
    for (let d = localDay(from, this.region) - 1; localDayStart(d, this.region) < ts; d++) {
      for (const c of this.day(d)) {
        if (c.end <= from || c.start >= ts) continue;
        rpm = Math.max(rpm, this.drumRpm(c, from, ts, active));
        if (c.end > from && c.end <= ts) {
          ended++;
          this.cycles++;
          this.held = { ...this.held, ...this.cycleStats(c, active) };
        }
      }
    }
    this.usageDays = ended / this.unit.cyclesPerDay;
    const h = this.held;
    return {
      drum_vibration_g: round(Math.max(0, h.drum_vibration_g!), 3),
      motor_current_a: round(Math.max(0, h.motor_current_a!), 2),
      drum_rpm: Math.round(rpm),
      inlet_flow_lpm: round(Math.max(0, h.inlet_flow_lpm!), 2),
      drain_time_s: round(Math.max(0, h.drain_time_s!), 1),
      heater_current_a: round(Math.max(0, h.heater_current_a!), 2),
      water_temp_c: round(h.water_temp_c!, 1),
      cycle_count: this.cycles,
    };
  }

  /** Fastest drum speed of a cycle within (from, to]: the spin if it falls inside, tumbling otherwise. */
  private drumRpm(c: Cycle, from: number, to: number, active: readonly ActiveMode[]): number {
    let spin = c.spinRpm;
    if (isFailed(active, 'drum_bearing_wear')) return 0;
    if (isFailed(active, 'suspension_wear')) spin = Math.min(spin, 400);
    const phase = cyclePhase(c, from, to);
    return phase === 'spin' ? spin : phase === 'tumble' ? 50 + c.noise.tumble : 0;
  }
}

export const washingMachine: DeviceModelSim = {
  model: 'washing-machine',
  behaviours,
  createUnit: (spec, at) => new WashingMachineUnit(spec, at),
};
