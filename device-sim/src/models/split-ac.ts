import { mixSeed, Rng } from '@aftercare/core';
import type { ActiveMode, DeviceSpec } from '../device-spec.ts';
import { streams } from '../random.ts';
import { defaultRegion, HOUR_MS, localTime, outdoorTempC, YEAR_MS } from '../region.ts';
import {
  applyEffects,
  clamp,
  type DeviceModelSim,
  type Gates,
  isFailed,
  type ModeBehaviour,
  round,
  type UnitModel,
} from './device-model.ts';

/** Signed magnitudes at the moment of failure; directions follow core's catalog signatures. */
const behaviours: Record<string, ModeBehaviour> = {
  refrigerant_leak: {
    effects: {
      suction_pressure_kpa: { add: -140, gate: 'run' },
      supply_air_temp_c: { add: 6, gate: 'run' },
      return_air_temp_c: { add: 1.2, gate: 'run' },
      discharge_temp_c: { add: 9, gate: 'run' },
      power_w: { add: 230, gate: 'duty' },
    },
    error: {
      code: 'ac.low_pressure',
      message: 'Low suction pressure protection',
      fromSeverity: 0.6,
      perDay: 3,
    },
  },
  compressor_wear: {
    effects: {
      compressor_current_a: { mul: 0.35, gate: 'run' },
      discharge_temp_c: { add: 14, gate: 'run' },
      vibration_mm_s: { add: 2.2, gate: 'run' },
    },
    error: {
      code: 'ac.compressor_overload',
      message: 'Compressor overload protection',
      fromSeverity: 0.7,
      perDay: 2,
    },
  },
  condenser_fan_bearing: {
    effects: {
      condenser_fan_rpm: { add: -280, gate: 'run' },
      vibration_mm_s: { add: 1.6, gate: 'run' },
      discharge_temp_c: { add: 12, gate: 'hot' },
    },
    error: {
      code: 'ac.fan_speed_low',
      message: 'Outdoor fan speed below target',
      fromSeverity: 0.7,
      perDay: 2,
    },
  },
  clogged_filter: {
    effects: {
      power_w: { add: 260, gate: 'duty' },
      supply_air_temp_c: { add: -5, gate: 'run' },
    },
    error: { code: 'ac.coil_frost', message: 'Indoor coil frost protection', fromSeverity: 0.8, perDay: 1 },
  },
  capacitor_degradation: {
    effects: { compressor_current_a: { mul: 0.4, gate: 'run' } },
    error: {
      code: 'ac.start_failure',
      message: 'Compressor failed to start, retrying',
      fromSeverity: 0.3,
      perDay: 4,
    },
  },
};

type Profile = 'home' | 'office' | 'shop';

interface AcUnit {
  profile: Profile;
  setpointC: number;
  nominalCurrentA: number;
  fanRpm: number;
  vibrationBase: number;
  suctionBaseKpa: number;
  coolingDeltaBase: number;
  microclimateC: number;
  insulation: number;
  afternoonThresholdC: number;
}

function createAcUnit(spec: DeviceSpec): AcUnit {
  const rng = new Rng(mixSeed(spec.seed, streams.unit));
  const p = rng.next();
  return {
    profile: p < 0.6 ? 'home' : p < 0.85 ? 'office' : 'shop',
    setpointC: 22.5 + Math.round(rng.uniform(0, 6)) / 2,
    nominalCurrentA: rng.uniform(5.3, 6.3),
    fanRpm: rng.uniform(860, 915),
    vibrationBase: rng.uniform(0.9, 1.5),
    suctionBaseKpa: rng.uniform(462, 490),
    coolingDeltaBase: rng.uniform(9, 10.5),
    microclimateC: rng.normal(0, 0.7),
    insulation: rng.uniform(0.8, 1.3),
    afternoonThresholdC: rng.uniform(30.5, 33),
  };
}

/** Whether the occupants have the AC on at a local hour; `jitter` shifts each day's habits a little. */
function isOn(unit: AcUnit, hour: number, weekday: number, outdoorC: number, jitter: number): boolean {
  const h = (hour - jitter + 24) % 24;
  switch (unit.profile) {
    case 'home': {
      if ((h >= 22 || h < 6) && outdoorC > 24.5) return true;
      const weekend = weekday === 0 || weekday === 6;
      if (h >= 13 && h < 17.5 && outdoorC > unit.afternoonThresholdC - (weekend ? 1.5 : 0)) return true;
      return h >= 19 && h < 22 && outdoorC > 29.5;
    }
    case 'office':
      return weekday >= 1 && weekday <= 5 && h >= 9 && h < 19 && outdoorC > 23;
    case 'shop':
      return h >= 10 && h < 21.5 && outdoorC > 23;
  }
}

class SplitAcUnit implements UnitModel {
  usageDays = 0;
  private readonly unit: AcUnit;
  private readonly noise = new Rng(0);
  private readonly gates: Gates = { always: 1, run: 0, duty: 0, hot: 0 };
  private readonly region;
  private jitterDay = Number.NaN;
  private jitter = 0;

  constructor(private readonly spec: DeviceSpec) {
    this.unit = createAcUnit(spec);
    this.region = spec.region ?? defaultRegion;
  }

  repaired(): void {}

  sample(ts: number, intervalMs: number, active: readonly ActiveMode[]): Record<string, number> {
    const u = this.unit;
    const rng = this.noise.reseed(mixSeed(this.spec.seed, streams.noise, ts));
    const mid = ts - intervalMs / 2;
    const lt = localTime(mid, this.region);
    if (lt.day !== this.jitterDay) {
      this.jitterDay = lt.day;
      this.jitter = ((mixSeed(this.spec.seed, streams.day, lt.day) >>> 8) / 16777216 - 0.5) * 1.2;
    }
    const outdoor =
      outdoorTempC(this.region, this.spec.fleetSeed, mid) + u.microclimateC + rng.normal(0, 0.25);
    const intervalH = intervalMs / HOUR_MS;
    const points = clamp(Math.round(intervalH * 4), 1, 4);
    let on = 0;
    for (let i = 0; i < points; i++) {
      const hour = (lt.hour + ((i + 0.5) / points - 0.5) * intervalH + 24) % 24;
      if (isOn(u, hour, lt.weekday, outdoor, this.jitter)) on++;
    }
    const onFrac = on / points;
    const run = onFrac > 0 ? 1 : 0;
    const age = (ts - this.spec.installedAt) / YEAR_MS;
    const load = clamp((outdoor - 18) / 20, 0.05, 1.4);

    const freeRoom = 0.6 * outdoor + 0.4 * 29 + (u.profile === 'home' ? 0.5 : 1.5);
    const runRoom = u.setpointC + 0.5 + 2 * load * u.insulation;
    const coolingDelta = u.coolingDeltaBase + 2.6 * load;
    const v: Record<string, number> = {
      supply_air_temp_c:
        onFrac * (runRoom - coolingDelta) + (1 - onFrac) * (freeRoom - 0.2) + rng.normal(0, 0.25),
      return_air_temp_c: onFrac * runRoom + (1 - onFrac) * freeRoom + rng.normal(0, 0.2),
      outdoor_temp_c: outdoor,
      compressor_current_a: run
        ? u.nominalCurrentA * (0.8 + 0.28 * load) * (1 + 0.012 * age) + rng.normal(0, 0.1)
        : 0,
      discharge_temp_c: run
        ? 60 + 0.7 * (outdoor - 25) + 5 * load + 0.8 * age + rng.normal(0, 0.8)
        : outdoor + 2.5 + rng.normal(0, 0.4),
      suction_pressure_kpa: run
        ? u.suctionBaseKpa + 1.3 * (runRoom - 25) - 10 * load + rng.normal(0, 4)
        : 900 + 14 * (outdoor - 30) + rng.normal(0, 8),
      condenser_fan_rpm: run
        ? u.fanRpm * (0.97 + 0.03 * Math.min(load, 1)) - 1.5 * age + rng.normal(0, 5)
        : 0,
      power_w: 0,
      vibration_mm_s: run
        ? u.vibrationBase * (0.9 + 0.2 * load) * (1 + 0.04 * age) + rng.normal(0, 0.07)
        : 0.04 + Math.abs(rng.normal(0, 0.015)),
    };
    const healthyCurrent = v.compressor_current_a!;
    v.power_w = onFrac * (230 * 0.93 * healthyCurrent + 55) + (1 - onFrac) * 4 + rng.normal(0, 6);

    if (active.length > 0) {
      this.gates.run = run;
      this.gates.duty = onFrac;
      this.gates.hot = run * load;
      applyEffects(v, behaviours, active, this.gates);
      // The motor draws what it draws: a worn compressor's extra current shows in the power too.
      v.power_w! += onFrac * 230 * 0.93 * (v.compressor_current_a! - healthyCurrent);
      if (run) this.applyFailures(v, active, outdoor, freeRoom, onFrac);
    }
    // A typical day of use is some ten hours of running.
    this.usageDays = (onFrac * intervalH) / 10;

    return {
      supply_air_temp_c: round(v.supply_air_temp_c!, 2),
      return_air_temp_c: round(v.return_air_temp_c!, 2),
      outdoor_temp_c: round(v.outdoor_temp_c!, 2),
      compressor_current_a: round(Math.max(0, v.compressor_current_a!), 2),
      discharge_temp_c: round(v.discharge_temp_c!, 1),
      suction_pressure_kpa: round(Math.max(0, v.suction_pressure_kpa!), 1),
      condenser_fan_rpm: Math.round(Math.max(0, v.condenser_fan_rpm!)),
      power_w: round(Math.max(0, v.power_w!), 1),
      vibration_mm_s: round(Math.max(0, v.vibration_mm_s!), 3),
    };
  }

  /** A failed component stops the cooling: the indoor fan still blows, the room is no longer cooled. */
  private applyFailures(
    v: Record<string, number>,
    active: readonly ActiveMode[],
    outdoor: number,
    freeRoom: number,
    onFrac: number,
  ): void {
    const leaked = isFailed(active, 'refrigerant_leak');
    if (leaked || isFailed(active, 'compressor_wear') || isFailed(active, 'capacitor_degradation')) {
      v.return_air_temp_c = freeRoom - 0.4;
      v.supply_air_temp_c = freeRoom - 1;
      v.compressor_current_a = 0;
      v.discharge_temp_c = outdoor + 3;
      v.suction_pressure_kpa = leaked ? 80 : 900 + 14 * (outdoor - 30);
      v.condenser_fan_rpm = 0;
      v.vibration_mm_s = 0.05;
      v.power_w = onFrac * 45;
      return;
    }
    if (isFailed(active, 'condenser_fan_bearing')) {
      v.condenser_fan_rpm = 0;
      v.discharge_temp_c = 108;
      v.return_air_temp_c = freeRoom - 1;
      v.supply_air_temp_c = freeRoom - 3.5;
    }
    if (isFailed(active, 'clogged_filter')) {
      v.return_air_temp_c = freeRoom - 0.5;
      v.supply_air_temp_c = 1.5;
    }
  }
}

export const splitAc: DeviceModelSim = {
  model: 'split-ac',
  behaviours,
  createUnit: (spec) => new SplitAcUnit(spec),
};
