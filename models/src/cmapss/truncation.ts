import { mulberry32 } from '../training/random.ts';
import type { CmapssUnit } from './loader.ts';
import { lastWindows, type MinMaxStats, RUL_CAP, type WindowBatch, type WindowOptions } from './prepare.ts';

/** Where a unit with a known failure is cut, as the NASA test set cuts its units. */
export interface Truncation {
  /** Index into the given units. */
  unit: number;
  /** Cycles kept: the unit is observed up to and including its `cycles`-th row. */
  cycles: number;
  /** Uncapped cycles left after the last kept one. */
  rul: number;
}

/**
 * `perUnit` seeded cuts per unit, as the test set truncates its units "some time prior to failure":
 * the unit's life from `minCycles` kept cycles to one cycle before failure is split into `perUnit`
 * equal strata and one cut is drawn uniformly in each (stratified, so cuts cover early, middle and
 * late life alike and two seeds differ little). A unit with fewer candidate cuts than `perUnit` gets
 * one per candidate at most.
 */
export function truncationPoints(
  units: CmapssUnit[],
  perUnit: number,
  minCycles: number,
  seed: number,
): Truncation[] {
  if (!(Number.isInteger(perUnit) && perUnit >= 1)) throw new Error(`perUnit must be ≥ 1, got ${perUnit}`);
  const random = mulberry32(seed);
  const out: Truncation[] = [];
  units.forEach((unit, u) => {
    const life = unit.rows.length;
    const first = Math.min(Math.max(1, minCycles), life - 1);
    const span = life - first; // candidate cuts keep first .. life − 1 cycles
    if (span <= 0) return;
    const n = Math.min(perUnit, span);
    for (let k = 0; k < n; k++) {
      const lo = first + Math.floor((k * span) / n);
      const hi = first + Math.floor(((k + 1) * span) / n); // exclusive, > lo since n ≤ span
      const cycles = lo + Math.floor(random() * (hi - lo));
      out.push({ unit: u, cycles, rul: life - cycles });
    }
  });
  return out;
}

/**
 * The test protocol on units whose failure is known: each cut unit goes through `lastWindows`, exactly
 * as a test unit does (the last `tail` windows before the cut), with `y` the RUL at the cut capped at
 * `options.cap` and `trueRul` uncapped. `unitIndex` names the uncut unit.
 */
export function truncatedWindows(
  units: CmapssUnit[],
  truncations: Truncation[],
  sensors: number[],
  stats: MinMaxStats,
  options: WindowOptions,
  tail = 1,
): WindowBatch {
  const cap = options.cap ?? RUL_CAP;
  const cut = truncations.map((t) => {
    const unit = units[t.unit]!;
    return { unit: unit.unit, rows: unit.rows.slice(0, t.cycles) };
  });
  const batch = lastWindows(
    cut,
    truncations.map((t) => t.rul),
    sensors,
    stats,
    options,
    tail,
  );
  const trueRul = Float32Array.from(batch.y);
  const unitIndex = Int32Array.from(batch.unitIndex!, (i) => truncations[i]!.unit);
  return { ...batch, y: trueRul.map((v) => Math.min(cap, v)), trueRul, unitIndex };
}
