import type { CmapssUnit } from './loader.ts';

/**
 * The 14 sensors that vary on FD001; the other 7 are constant (or nearly) there and only add noise.
 * Names follow NASA's readme numbering (s1..s21).
 */
export const INFORMATIVE_SENSORS = [
  's2',
  's3',
  's4',
  's7',
  's8',
  's9',
  's11',
  's12',
  's13',
  's14',
  's15',
  's17',
  's20',
  's21',
] as const;

/** The literature protocol's constants (Zheng 2017, Li 2018): targets capped at 125, windows of 30. */
export const RUL_CAP = 125;
export const WINDOW_LENGTH = 30;

export interface MinMaxStats {
  min: number[];
  max: number[];
}

/** Windows flattened row-major as [count, windowLength, features], ready for a tensor. */
export interface WindowBatch {
  x: Float32Array;
  y: Float32Array;
  count: number;
  windowLength: number;
  features: number;
}

export function sensorIndices(names: readonly string[]): number[] {
  return names.map((name) => {
    const index = Number(name.slice(1)) - 1;
    if (!/^s\d+$/.test(name) || index < 0 || index > 20) throw new Error(`unknown sensor "${name}"`);
    return index;
  });
}

/**
 * Piecewise-linear target: the true remaining cycles of a run-to-failure unit, capped, because early
 * in life an engine shows no degradation and the exact remaining life cannot be learnt from sensors.
 */
export function rulTargets(unit: CmapssUnit, cap = RUL_CAP): number[] {
  const lastCycle = unit.rows[unit.rows.length - 1]!.cycle;
  return unit.rows.map((row) => Math.min(cap, lastCycle - row.cycle));
}

/** Min-max per selected sensor over the given units only; callers pass train units, never test. */
export function fitMinMax(units: CmapssUnit[], sensors: number[]): MinMaxStats {
  const min = sensors.map(() => Number.POSITIVE_INFINITY);
  const max = sensors.map(() => Number.NEGATIVE_INFINITY);
  for (const unit of units) {
    for (const row of unit.rows) {
      sensors.forEach((s, j) => {
        const v = row.sensors[s]!;
        if (v < min[j]!) min[j] = v;
        if (v > max[j]!) max[j] = v;
      });
    }
  }
  return { min, max };
}

/** Scales with the stored stats; a constant feature maps to 0 rather than dividing by zero. */
export function normaliseRow(values: number[], stats: MinMaxStats): number[] {
  return values.map((v, j) => {
    const range = stats.max[j]! - stats.min[j]!;
    return range > 0 ? (v - stats.min[j]!) / range : 0;
  });
}

function normalisedFeatures(unit: CmapssUnit, sensors: number[], stats: MinMaxStats): number[][] {
  return unit.rows.map((row) =>
    normaliseRow(
      sensors.map((s) => row.sensors[s]!),
      stats,
    ),
  );
}

function writeWindow(out: Float32Array, offset: number, rows: number[][], end: number, length: number): void {
  // Rows before the unit's start repeat its first row: short test units still get a full window.
  for (let k = 0; k < length; k++) {
    const row = rows[Math.max(0, end - length + 1 + k)]!;
    out.set(row, offset + k * row.length);
  }
}

/** Every full window of every unit, labelled with the capped RUL at the window's last cycle. */
export function trainingWindows(
  units: CmapssUnit[],
  sensors: number[],
  stats: MinMaxStats,
  windowLength = WINDOW_LENGTH,
  cap = RUL_CAP,
): WindowBatch {
  const features = sensors.length;
  const count = units.reduce((n, u) => n + Math.max(0, u.rows.length - windowLength + 1), 0);
  const x = new Float32Array(count * windowLength * features);
  const y = new Float32Array(count);
  let i = 0;
  for (const unit of units) {
    const rows = normalisedFeatures(unit, sensors, stats);
    const targets = rulTargets(unit, cap);
    for (let end = windowLength - 1; end < rows.length; end++) {
      writeWindow(x, i * windowLength * features, rows, end, windowLength);
      y[i] = targets[end]!;
      i++;
    }
  }
  return { x, y, count, windowLength, features };
}

/** The window ending at each unit's last cycle, padded at the front when the unit is shorter. */
export function lastWindows(
  units: CmapssUnit[],
  trueRul: number[],
  sensors: number[],
  stats: MinMaxStats,
  windowLength = WINDOW_LENGTH,
): WindowBatch {
  const features = sensors.length;
  const x = new Float32Array(units.length * windowLength * features);
  units.forEach((unit, i) => {
    const rows = normalisedFeatures(unit, sensors, stats);
    writeWindow(x, i * windowLength * features, rows, rows.length - 1, windowLength);
  });
  return { x, y: Float32Array.from(trueRul), count: units.length, windowLength, features };
}

export function rmse(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += (predicted[i]! - actual[i]!) ** 2;
  return Math.sqrt(sum / actual.length);
}

/** PHM08 score: late predictions (d = predicted − true > 0) cost more than early ones. */
export function phm08Score(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = predicted[i]! - actual[i]!;
    sum += d < 0 ? Math.exp(-d / 13) - 1 : Math.exp(d / 10) - 1;
  }
  return sum;
}
