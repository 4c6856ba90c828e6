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
  return stratifiedCuts(units, perUnit, seed, (life) => {
    const first = Math.min(Math.max(1, minCycles), life - 1);
    // Candidate cuts keep first .. life − 1 cycles.
    return { first, span: life - first, cyclesKept: (cycles) => cycles };
  });
}

/**
 * For each unit, `perUnit` whole values from its candidate range (`first` .. `first + span − 1`), one
 * drawn uniformly in each of that many equal strata (fewer when the range is shorter), turned into the
 * cycles the cut keeps. One seeded stream for all units, in unit order.
 */
function stratifiedCuts(
  units: CmapssUnit[],
  perUnit: number,
  seed: number,
  range: (life: number) => { first: number; span: number; cyclesKept: (value: number) => number } | null,
): Truncation[] {
  if (!(Number.isInteger(perUnit) && perUnit >= 1)) throw new Error(`perUnit must be ≥ 1, got ${perUnit}`);
  const random = mulberry32(seed);
  const out: Truncation[] = [];
  units.forEach((unit, u) => {
    const life = unit.rows.length;
    const r = range(life);
    if (r === null || r.span <= 0) return;
    const n = Math.min(perUnit, r.span);
    for (let k = 0; k < n; k++) {
      const lo = r.first + Math.floor((k * r.span) / n);
      const hi = r.first + Math.floor(((k + 1) * r.span) / n); // exclusive, > lo since n ≤ span
      const cycles = r.cyclesKept(lo + Math.floor(random() * (hi - lo)));
      out.push({ unit: u, cycles, rul: life - cycles });
    }
  });
  return out;
}

/** RUL left at a 'rul' cut: from a few cycles before failure to a little beyond the cap. */
export const CUT_RUL_RANGE = { min: 5, max: 150 } as const;

/**
 * `perUnit` seeded cuts per unit placed by the RUL they leave rather than by cycle: the range
 * `rulRange` (bounded by the unit's life minus `minCycles`, so every cut keeps at least `minCycles`
 * cycles) is split into `perUnit` equal strata and one RUL is drawn uniformly in each. Late life is
 * asked about as often as mid life, whatever the unit's length; cuts early in a long life, which leave
 * more than the cap and are answered by the cap, are never drawn.
 */
export function rulTruncationPoints(
  units: CmapssUnit[],
  perUnit: number,
  minCycles: number,
  seed: number,
  rulRange: { min: number; max: number } = CUT_RUL_RANGE,
): Truncation[] {
  return stratifiedCuts(units, perUnit, seed, (life) => {
    const hiRul = Math.min(rulRange.max, life - Math.max(1, minCycles)); // the cut keeps ≥ minCycles
    const loRul = hiRul >= rulRange.min ? Math.max(1, rulRange.min) : 1; // too short: any RUL it can leave
    // Candidate RULs loRul .. hiRul.
    return hiRul < 1 ? null : { first: loRul, span: hiRul - loRul + 1, cyclesKept: (rul) => life - rul };
  });
}

/** Cuts by the named protocol: 'life' spreads them over cycles, 'rul' over the RUL they leave. */
export function cutPoints(
  protocol: 'life' | 'rul',
  units: CmapssUnit[],
  perUnit: number,
  minCycles: number,
  seed: number,
): Truncation[] {
  return protocol === 'rul'
    ? rulTruncationPoints(units, perUnit, minCycles, seed)
    : truncationPoints(units, perUnit, minCycles, seed);
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
