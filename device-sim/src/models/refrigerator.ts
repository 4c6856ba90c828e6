import { mixSeed, Rng } from '@aftercare/core';
import type { ActiveMode, DeviceSpec } from '../device-spec.ts';
import { streams } from '../random.ts';
import { defaultRegion, HOUR_MS, hourBump, localTime, outdoorTempC, YEAR_MS } from '../region.ts';
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

const behaviours: Record<string, ModeBehaviour> = {
  door_gasket_leak: {
    effects: {
      compressor_duty_pct: { add: 28 },
      cabinet_temp_c: { add: 1.8 },
      freezer_temp_c: { add: 1.5 },
    },
    error: { code: 'rf.high_temp', message: 'Cabinet temperature high', fromSeverity: 0.75, perDay: 1 },
  },
  defrost_heater_failure: {
    effects: {
      // A heater reading of 0 between defrosts stays 0; only the defrost peaks shrink.
      defrost_heater_current_a: { mul: -0.75 },
      evaporator_temp_c: { add: -6 },
      cabinet_temp_c: { add: 3 },
      compressor_duty_pct: { add: 10 },
    },
    error: {
      code: 'rf.defrost_timeout',
      message: 'Defrost did not terminate on temperature',
      fromSeverity: 0.4,
      perDay: 2,
    },
  },
  sensor_drift: {
    effects: {
      cabinet_temp_c: { add: -2.8 },
      compressor_duty_pct: { add: 15 },
    },
    error: {
      code: 'rf.sensor_range',
      message: 'Cabinet sensor reading implausible',
      fromSeverity: 0.85,
      perDay: 1,
    },
  },
  compressor_wear: {
    effects: {
      compressor_current_a: { mul: 0.45 },
      compressor_duty_pct: { add: 40 },
    },
    error: {
      code: 'rf.compressor_overload',
      message: 'Compressor overload protection',
      fromSeverity: 0.7,
      perDay: 2,
    },
  },
};

const DEFROST_PERIOD_MS = 8 * HOUR_MS;
const DEFROST_MS = 25 * 60_000;

interface FridgeUnit {
  cabinetSetC: number;
  freezerSetC: number;
  evaporatorBaseC: number;
  nominalCurrentA: number;
  dutyBasePct: number;
  household: number;
  kitchenC: number;
  defrostPhaseMs: number;
  heaterA: number;
}

function createFridgeUnit(spec: DeviceSpec): FridgeUnit {
  const rng = new Rng(mixSeed(spec.seed, streams.unit));
  return {
    cabinetSetC: rng.uniform(3.2, 4.2),
    freezerSetC: rng.uniform(-19, -17),
    evaporatorBaseC: rng.uniform(-25.5, -23),
    nominalCurrentA: rng.uniform(0.95, 1.15),
    dutyBasePct: rng.uniform(33, 40),
    household: rng.uniform(0.7, 1.4),
    kitchenC: rng.uniform(0, 2.5),
    defrostPhaseMs: rng.uniform(0, DEFROST_PERIOD_MS),
    heaterA: rng.uniform(0.9, 1.1),
  };
}

/** Fraction of [from, to) during which a defrost heater cycle runs. */
function defrostFraction(unit: FridgeUnit, from: number, to: number): number {
  let overlap = 0;
  let start =
    Math.floor((from - unit.defrostPhaseMs) / DEFROST_PERIOD_MS) * DEFROST_PERIOD_MS + unit.defrostPhaseMs;
  for (; start < to; start += DEFROST_PERIOD_MS) {
    const a = Math.max(from, start);
    const b = Math.min(to, start + DEFROST_MS);
    if (b > a) overlap += b - a;
  }
  return overlap / (to - from);
}

class RefrigeratorUnit implements UnitModel {
  usageDays = 0;
  private readonly unit: FridgeUnit;
  private readonly noise = new Rng(0);
  private readonly gates: Gates = { always: 1, run: 1, duty: 1, hot: 1 };
  private readonly region;

  constructor(private readonly spec: DeviceSpec) {
    this.unit = createFridgeUnit(spec);
    this.region = spec.region ?? defaultRegion;
  }

  repaired(): void {}

  sample(ts: number, intervalMs: number, active: readonly ActiveMode[]): Record<string, number> {
    const u = this.unit;
    const rng = this.noise.reseed(mixSeed(this.spec.seed, streams.noise, ts));
    const mid = ts - intervalMs / 2;
    const lt = localTime(mid, this.region);
    const h = lt.hour;
    const intervalH = intervalMs / HOUR_MS;
    const age = (ts - this.spec.installedAt) / YEAR_MS;
    const outdoor = outdoorTempC(this.region, this.spec.fleetSeed, mid);
    const cooking = hourBump(h, 8, 1) + hourBump(h, 13, 1) + hourBump(h, 20, 1.2);
    const ambient = 0.3 * outdoor + 0.7 * 27.5 + u.kitchenC + 1.2 * cooking + rng.normal(0, 0.3);

    // Door openings cluster at meal times; almost none at night.
    const weekend = lt.weekday === 0 || lt.weekday === 6 ? 1.2 : 1;
    const perHour =
      u.household *
      weekend *
      ((h < 6 ? 0.05 : 0.25) +
        2.6 * hourBump(h, 7.8, 1) +
        2.8 * hourBump(h, 13, 1.1) +
        3.6 * hourBump(h, 20.2, 1.3));
    const doors = rng.poisson(perHour * intervalH);
    const doorRate = Math.min(doors / intervalH, 8);
    const defrost = defrostFraction(u, ts - intervalMs, ts);

    const v: Record<string, number> = {
      cabinet_temp_c:
        u.cabinetSetC + 0.16 * doorRate + 0.04 * (ambient - 27.5) + 0.8 * defrost + rng.normal(0, 0.15),
      freezer_temp_c: u.freezerSetC + 0.12 * doorRate + 2.5 * defrost + rng.normal(0, 0.25),
      evaporator_temp_c:
        (1 - defrost) * (u.evaporatorBaseC + 0.1 * (ambient - 27.5)) + defrost * 3 + rng.normal(0, 0.4),
      compressor_duty_pct:
        (u.dutyBasePct + 1.0 * (ambient - 27.5) + 1.5 * doorRate) * (1 - defrost) + rng.normal(0, 1.5),
      compressor_current_a:
        u.nominalCurrentA * (1 + 0.01 * (ambient - 27.5)) * (1 + 0.015 * age) + rng.normal(0, 0.025),
      door_open_count: doors,
      defrost_heater_current_a: defrost > 0 ? u.heaterA + rng.normal(0, 0.02) : 0,
      ambient_temp_c: ambient,
    };

    if (active.length > 0) {
      applyEffects(v, behaviours, active, this.gates);
      this.applyFailures(v, active, ambient);
    }
    this.usageDays = intervalH / 24;

    return {
      cabinet_temp_c: round(v.cabinet_temp_c!, 2),
      freezer_temp_c: round(v.freezer_temp_c!, 2),
      evaporator_temp_c: round(v.evaporator_temp_c!, 2),
      compressor_duty_pct: round(clamp(v.compressor_duty_pct!, 0, 100), 1),
      compressor_current_a: round(Math.max(0, v.compressor_current_a!), 3),
      door_open_count: v.door_open_count!,
      defrost_heater_current_a: round(Math.max(0, v.defrost_heater_current_a!), 3),
      ambient_temp_c: round(v.ambient_temp_c!, 2),
    };
  }

  private applyFailures(v: Record<string, number>, active: readonly ActiveMode[], ambient: number): void {
    if (isFailed(active, 'compressor_wear')) {
      v.compressor_current_a = 0;
      v.compressor_duty_pct = 0;
      v.cabinet_temp_c = 0.5 * ambient;
      v.freezer_temp_c = 0.2 * ambient - 3;
      v.evaporator_temp_c = ambient - 8;
      return;
    }
    if (isFailed(active, 'door_gasket_leak')) {
      v.compressor_duty_pct = 100;
      v.cabinet_temp_c = 9;
      v.freezer_temp_c = -9;
    }
    if (isFailed(active, 'defrost_heater_failure')) {
      // The iced evaporator blocks the air path: the freezer section stays cold, the cabinet warms.
      v.defrost_heater_current_a = 0;
      v.evaporator_temp_c = -32;
      v.cabinet_temp_c = 9.5;
      v.freezer_temp_c = -11;
      v.compressor_duty_pct = 90;
    }
    if (isFailed(active, 'sensor_drift')) {
      v.cabinet_temp_c = -3;
      v.compressor_duty_pct = 100;
    }
  }
}

export const refrigerator: DeviceModelSim = {
  model: 'refrigerator',
  behaviours,
  createUnit: (spec) => new RefrigeratorUnit(spec),
};
