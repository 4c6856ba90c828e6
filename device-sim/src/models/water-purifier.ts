import { mixSeed, Rng } from '@aftercare/core';
import type { ActiveMode, DeviceSpec } from '../device-spec.ts';
import { streams } from '../random.ts';
import {
  DAY_MS,
  defaultRegion,
  HOUR_MS,
  hourBump,
  localDay,
  localDayStart,
  localTime,
  type Region,
  YEAR_MS,
} from '../region.ts';
import {
  applyEffects,
  type DeviceModelSim,
  type Gates,
  isFailed,
  type ModeBehaviour,
  round,
  type UnitModel,
} from './device-model.ts';

const behaviours: Record<string, ModeBehaviour> = {
  membrane_fouling: {
    effects: {
      membrane_pressure_kpa: { add: 120 },
      flow_lpm: { mul: -0.45 },
      tds_out_ppm: { mul: 1.3 },
    },
    error: { code: 'wp.low_flow', message: 'Permeate flow low', fromSeverity: 0.7, perDay: 1 },
  },
  prefilter_exhausted: {
    effects: {
      membrane_pressure_kpa: { add: -140 },
      flow_lpm: { mul: -0.5 },
    },
    error: { code: 'wp.low_inlet_pressure', message: 'Inlet pressure low', fromSeverity: 0.7, perDay: 1 },
  },
  booster_pump_wear: {
    effects: {
      pump_current_a: { mul: 0.5 },
      membrane_pressure_kpa: { add: -120 },
    },
    error: {
      code: 'wp.pump_overcurrent',
      message: 'Booster pump current high',
      fromSeverity: 0.7,
      perDay: 1,
    },
  },
  uv_lamp_ageing: {
    effects: { uv_intensity_pct: { add: -32 } },
    error: { code: 'wp.uv_low', message: 'UV intensity near the safe limit', fromSeverity: 0.8, perDay: 1 },
  },
  controller_fault: {
    effects: { pump_current_a: { mul: 0.35 } },
    error: {
      code: 'wp.controller_watchdog',
      message: 'Controller watchdog reset',
      fromSeverity: 0.15,
      perDay: 6,
    },
  },
};

/** Modes after whose failure no water comes out, so the filters see no more litres. */
const stopsWater = ['membrane_fouling', 'prefilter_exhausted', 'booster_pump_wear', 'controller_fault'];

interface PurifierUnit {
  sourceTdsPpm: number;
  /** The TDS the unit's mineral setting and membrane give when new. */
  outputTdsPpm: number;
  pressureBaseKpa: number;
  flowBaseLpm: number;
  pumpCurrentA: number;
  uvBasePct: number;
  litresPerDay: number;
  meanDrawL: number;
  filterChangeDays: number;
  lampLifeDays: number;
}

function createPurifierUnit(spec: DeviceSpec): PurifierUnit {
  const rng = new Rng(mixSeed(spec.seed, streams.unit));
  return {
    sourceTdsPpm: rng.uniform(280, 560),
    outputTdsPpm: rng.uniform(24, 45),
    pressureBaseKpa: rng.uniform(495, 545),
    flowBaseLpm: rng.uniform(1.45, 1.8),
    pumpCurrentA: rng.uniform(0.6, 0.76),
    uvBasePct: rng.uniform(95, 99),
    litresPerDay: rng.uniform(12, 30),
    meanDrawL: rng.uniform(1, 2),
    filterChangeDays: rng.uniform(150, 200),
    lampLifeDays: rng.uniform(540, 720),
  };
}

/** Litres drawn in bursts (bottles, cooking pots), mostly around meals; the same for a day whoever asks. */
class DrawSchedule {
  private readonly rng = new Rng(0);
  day = Number.NaN;
  times: number[] = [];
  litres: number[] = [];

  constructor(
    private readonly seed: number,
    private readonly unit: PurifierUnit,
    private readonly region: Region,
  ) {}

  load(day: number): void {
    if (day === this.day) return;
    this.day = day;
    const rng = this.rng.reseed(mixSeed(this.seed, streams.day, day));
    const u = this.unit;
    const count = rng.poisson(u.litresPerDay / u.meanDrawL);
    const start = localDayStart(day, this.region);
    const times: number[] = [];
    const litres: number[] = [];
    for (let i = 0; i < count; i++) {
      let hour: number;
      do hour = rng.uniform(5.5, 23);
      while (
        rng.next() >
        0.25 + hourBump(hour, 7.5, 1.2) + hourBump(hour, 13, 1.2) + hourBump(hour, 20, 1.5)
      );
      times.push(start + hour * HOUR_MS);
      litres.push(rng.uniform(0.3, 2 * u.meanDrawL - 0.3));
    }
    const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]!);
    this.times = order.map((i) => times[i]!);
    this.litres = order.map((i) => litres[i]!);
  }

  /** Litres drawn in (from, to]. */
  drawn(from: number, to: number): number {
    let total = 0;
    for (let day = localDay(from, this.region); localDayStart(day, this.region) < to; day++) {
      this.load(day);
      for (let i = 0; i < this.times.length; i++) {
        const t = this.times[i]!;
        if (t > from && t <= to) total += this.litres[i]!;
      }
    }
    return total;
  }
}

class WaterPurifierUnit implements UnitModel {
  usageDays = 0;
  private readonly unit: PurifierUnit;
  private readonly noise = new Rng(0);
  private readonly gates: Gates = { always: 1, run: 1, duty: 1, hot: 1 };
  private readonly region: Region;
  private readonly draws: DrawSchedule;
  private litres = 0;
  private lastFilterChange: number;
  private lampEpoch: number;
  private lastTs: number;
  /** The firmware reports the readings of its last production run while it stands idle. */
  private held: Record<string, number>;

  constructor(
    private readonly spec: DeviceSpec,
    at: number,
  ) {
    this.unit = createPurifierUnit(spec);
    this.region = spec.region ?? defaultRegion;
    this.draws = new DrawSchedule(spec.seed, this.unit, this.region);
    const period = this.unit.filterChangeDays * DAY_MS;
    this.lastFilterChange =
      spec.installedAt + Math.max(0, Math.floor((at - spec.installedAt) / period)) * period;
    this.litres = this.draws.drawn(this.lastFilterChange, at);
    this.lampEpoch = spec.installedAt;
    this.lastTs = at;
    this.held = this.production(at, this.noise.reseed(mixSeed(spec.seed, streams.noise, at)));
  }

  repaired(failureMode: string, at: number): void {
    if (failureMode === 'prefilter_exhausted' || failureMode === 'membrane_fouling') {
      this.lastFilterChange = at;
      this.litres = 0;
    }
    if (failureMode === 'uv_lamp_ageing') this.lampEpoch = at;
  }

  private production(ts: number, rng: Rng): Record<string, number> {
    const u = this.unit;
    const age = (ts - this.spec.installedAt) / YEAR_MS;
    const season = Math.sin((2 * Math.PI * localTime(ts, this.region).dayOfYear) / 365.25);
    const tdsIn = u.sourceTdsPpm * (1 + 0.05 * season) + rng.normal(0, 5);
    const pressure = u.pressureBaseKpa + 8 * age + 0.02 * (tdsIn - 400) + rng.normal(0, 6);
    return {
      tds_in_ppm: tdsIn,
      tds_out_ppm: tdsIn * (u.outputTdsPpm / u.sourceTdsPpm + 0.003 * age) + rng.normal(0, 1.2),
      membrane_pressure_kpa: pressure,
      flow_lpm: u.flowBaseLpm * (1 - 0.03 * age) + rng.normal(0, 0.03),
      pump_current_a: u.pumpCurrentA + 0.0004 * (pressure - 520) + rng.normal(0, 0.012),
    };
  }

  sample(ts: number, intervalMs: number, active: readonly ActiveMode[]): Record<string, number> {
    const u = this.unit;
    const from = Math.max(this.lastTs, ts - intervalMs);
    const period = u.filterChangeDays * DAY_MS;
    const nextRoutine = this.lastFilterChange + period;
    let drawn: number;
    if (nextRoutine <= ts && nextRoutine > from) {
      // The routine service swapped the filter set during this interval.
      this.lastFilterChange = nextRoutine;
      this.litres = 0;
      drawn = this.draws.drawn(nextRoutine, ts);
    } else {
      drawn = this.draws.drawn(from, ts);
    }
    this.lastTs = ts;
    const noWater = active.length > 0 && stopsWater.some((id) => isFailed(active, id));
    if (!noWater) this.litres += drawn;

    const rng = this.noise.reseed(mixSeed(this.spec.seed, streams.noise, ts));
    if (drawn > 0) this.held = this.production(ts, rng);
    const lampLife = u.lampLifeDays * DAY_MS;
    const lampAge = (((ts - this.lampEpoch) % lampLife) + lampLife) % lampLife;
    const v: Record<string, number> = {
      ...this.held,
      uv_intensity_pct: u.uvBasePct - (17 * lampAge) / lampLife + rng.normal(0, 0.4),
      filter_liters_total: this.litres,
    };

    if (active.length > 0) {
      applyEffects(v, behaviours, active, this.gates);
      this.applyFailures(v, active);
    }
    this.usageDays = intervalMs / DAY_MS;

    return {
      tds_in_ppm: round(v.tds_in_ppm!, 1),
      tds_out_ppm: round(Math.max(0, v.tds_out_ppm!), 1),
      membrane_pressure_kpa: round(Math.max(0, v.membrane_pressure_kpa!), 1),
      flow_lpm: round(Math.max(0, v.flow_lpm!), 3),
      pump_current_a: round(Math.max(0, v.pump_current_a!), 3),
      uv_intensity_pct: round(Math.min(100, Math.max(0, v.uv_intensity_pct!)), 1),
      filter_liters_total: round(v.filter_liters_total!, 2),
    };
  }

  private applyFailures(v: Record<string, number>, active: readonly ActiveMode[]): void {
    if (isFailed(active, 'membrane_fouling')) {
      v.flow_lpm = 0.15;
      v.membrane_pressure_kpa = 720;
      v.tds_out_ppm = v.tds_in_ppm! * 0.35;
    }
    if (isFailed(active, 'prefilter_exhausted')) {
      v.flow_lpm = 0.1;
      v.membrane_pressure_kpa = 180;
    }
    if (isFailed(active, 'booster_pump_wear')) {
      v.pump_current_a = 0;
      v.membrane_pressure_kpa = 140;
      v.flow_lpm = 0;
    }
    if (isFailed(active, 'controller_fault')) {
      // The controller hangs with the pump on and the outlet valve shut: dead-headed pressure.
      v.pump_current_a = 0.95;
      v.flow_lpm = 0;
      v.membrane_pressure_kpa = 680;
    }
    if (isFailed(active, 'uv_lamp_ageing')) v.uv_intensity_pct = 0;
  }
}

export const waterPurifier: DeviceModelSim = {
  model: 'water-purifier',
  behaviours,
  createUnit: (spec, at) => new WaterPurifierUnit(spec, at),
};
