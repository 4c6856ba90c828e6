import { mixSeed, Rng } from '@aftercare/core';
import { streams } from '../random.ts';
import { HOUR_MS, hourBump } from '../region.ts';

export interface WasherUnit {
  cyclesPerDay: number;
  inletFlowLpm: number;
  drainTimeS: number;
  heaterA: number;
  motorA: number;
  vibrationG: number;
  maxSpinRpm: number;
}

/** One wash: fill, heat (warm programmes), wash, drain, rinse, drain, spin. */
export interface Cycle {
  start: number;
  /** Where tumbling ends and the spin begins. */
  spinStart: number;
  end: number;
  heated: boolean;
  setTempC: number;
  inletTempC: number;
  spinRpm: number;
  loadFraction: number;
  imbalance: number;
  /** Drawn when the day is planned, so a cycle's figures never depend on the device's health. */
  noise: {
    vibration: number;
    motor: number;
    inlet: number;
    drain: number;
    heater: number;
    temp: number;
    tumble: number;
  };
}

const programmes = [
  { setTempC: 0, washMin: 12, spinCapRpm: 800, weight: 0.2 },
  { setTempC: 30, washMin: 35, spinCapRpm: 1400, weight: 0.3 },
  { setTempC: 40, washMin: 40, spinCapRpm: 1400, weight: 0.3 },
  { setTempC: 60, washMin: 45, spinCapRpm: 1400, weight: 0.1 },
  { setTempC: 40, washMin: 30, spinCapRpm: 800, weight: 0.1 },
] as const;

const MIN = 60_000;

/** Number of cycles started on a local day; the first draw of the day's stream, so it is cheap to count. */
export function cycleCount(seed: number, unit: WasherUnit, day: number, rng: Rng): number {
  rng.reseed(mixSeed(seed, streams.day, day));
  const weekday = (((day + 4) % 7) + 7) % 7;
  const weekend = weekday === 0 || weekday === 6;
  return Math.min(4, rng.poisson(unit.cyclesPerDay * (weekend ? 1.4 : 1)));
}

/** The cycles a household starts on one local day, mostly mornings and evenings, more at weekends. */
export function cycleDay(
  seed: number,
  unit: WasherUnit,
  day: number,
  dayStart: number,
  inletTempC: number,
): Cycle[] {
  const rng = new Rng(0);
  const count = cycleCount(seed, unit, day, rng);
  const weekday = (((day + 4) % 7) + 7) % 7;
  const weekend = weekday === 0 || weekday === 6;
  const hours: number[] = [];
  for (let i = 0; i < count; i++) {
    let hour: number;
    do hour = rng.uniform(6.5, 22);
    while (
      rng.next() >
      0.15 + hourBump(hour, 8.5, 1.5) + hourBump(hour, 19, 1.5) + (weekend ? hourBump(hour, 12, 2) : 0)
    );
    hours.push(hour);
  }
  hours.sort((a, b) => a - b);
  const cycles: Cycle[] = [];
  let previousEnd = Number.NEGATIVE_INFINITY;
  for (const hour of hours) {
    let pick = rng.next();
    let programme = programmes[0] as (typeof programmes)[number];
    for (const p of programmes) {
      programme = p;
      pick -= p.weight;
      if (pick < 0) break;
    }
    const heated = programme.setTempC > inletTempC + 1;
    const heatMin = heated ? (programme.setTempC - inletTempC) * 0.5 : 0;
    const drainMs = 2 * unit.drainTimeS * 1000;
    const start = Math.max(dayStart + hour * HOUR_MS, previousEnd + 15 * MIN);
    const spinStart = start + (4 + heatMin + programme.washMin + 15) * MIN + drainMs;
    const end = spinStart + 9 * MIN;
    previousEnd = end;
    cycles.push({
      start,
      spinStart,
      end,
      heated,
      setTempC: programme.setTempC,
      inletTempC,
      spinRpm: Math.min(unit.maxSpinRpm, programme.spinCapRpm),
      loadFraction: rng.uniform(0.3, 1),
      imbalance: rng.uniform(0, 0.2),
      noise: {
        vibration: rng.normal(0, 0.02),
        motor: rng.normal(0, 0.06),
        inlet: rng.normal(0, 0.3),
        drain: rng.normal(0, 3),
        heater: rng.normal(0, 0.1),
        temp: rng.normal(0, 0.7),
        tumble: rng.uniform(-5, 5),
      },
    });
  }
  return cycles;
}

/** What the drum does in (from, to]: the spin wins over tumbling when both fall inside. */
export function cyclePhase(c: Cycle, from: number, to: number): 'spin' | 'tumble' | 'idle' {
  if (c.end > from && c.spinStart < to) return 'spin';
  if (c.spinStart > from && c.start < to) return 'tumble';
  return 'idle';
}
