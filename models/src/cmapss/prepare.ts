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
  /** Uncapped remaining cycles at each window's last cycle, when known. */
  trueRul?: Float32Array;
  /** Which of the given units each window came from. */
  unitIndex?: Int32Array;
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

/** How a unit's history becomes model inputs; saved with a model so scoring builds the same inputs. */
export interface WindowOptions {
  windowLength: number;
  /**
   * Exponential smoothing factor α of each normalised sensor, per unit and causal (a value depends
   * only on its own and earlier cycles, so it is the same at scoring time): s_t = α·x_t + (1−α)·s_{t−1}.
   * 1 leaves the sensors as they are.
   */
  smoothing?: number;
  /** Targets are capped here (piecewise-linear RUL). */
  cap?: number;
  /**
   * Cycles per time step: each step is the mean of this many consecutive cycles, so a window covers
   * windowLength × stride cycles at the cost of windowLength steps (and averages out sensor noise).
   */
  stride?: number;
  /**
   * Training windows end at every cycle from this one on; when it is below `windowLength` the early
   * windows are padded at the front with the unit's first row, as short test units are.
   * Defaults to `windowLength` (full windows only).
   */
  minCycles?: number;
  /**
   * Appends the cycle number (cycles observed so far), divided by this and clipped at 1, after the
   * sensors: a unit's age, known at test time. Unset = sensors only.
   */
  cycleScale?: number;
}

/** Inputs per time step: the sensors, and the cycle channel when `options.cycleScale` is set. */
function featureCount(sensors: number[], options: Pick<WindowOptions, 'cycleScale'>): number {
  return sensors.length + (options.cycleScale ? 1 : 0);
}

/**
 * A unit's rows as normalised (and optionally smoothed) feature vectors, in cycle order; with
 * `cycleScale`, min(1, cycle / cycleScale) is appended to each (never smoothed).
 */
export function unitFeatures(
  unit: CmapssUnit,
  sensors: number[],
  stats: MinMaxStats,
  smoothing = 1,
  cycleScale?: number,
): number[][] {
  if (!(smoothing > 0 && smoothing <= 1)) throw new Error(`smoothing must be in (0, 1], got ${smoothing}`);
  const rows = unit.rows.map((row) =>
    normaliseRow(
      sensors.map((s) => row.sensors[s]!),
      stats,
    ),
  );
  if (smoothing < 1) {
    for (let t = 1; t < rows.length; t++) {
      const prev = rows[t - 1]!;
      const row = rows[t]!;
      for (let j = 0; j < row.length; j++) row[j] = smoothing * row[j]! + (1 - smoothing) * prev[j]!;
    }
  }
  if (cycleScale) {
    for (const [t, row] of unit.rows.entries()) rows[t]!.push(Math.min(1, row.cycle / cycleScale));
  }
  return rows;
}

function writeWindow(
  out: Float32Array,
  offset: number,
  rows: number[][],
  end: number,
  length: number,
  stride = 1,
): void {
  // Step k averages the `stride` cycles that end (length − 1 − k)·stride cycles before `end`. Rows
  // before the unit's start repeat its first row: short test units still get a full window.
  const width = rows[0]!.length;
  for (let k = 0; k < length; k++) {
    const last = end - (length - 1 - k) * stride;
    const at = offset + k * width;
    if (stride === 1) {
      out.set(rows[Math.max(0, last)]!, at);
      continue;
    }
    for (let j = 0; j < width; j++) out[at + j] = 0;
    for (let c = last - stride + 1; c <= last; c++) {
      const row = rows[Math.max(0, c)]!;
      for (let j = 0; j < width; j++) out[at + j]! += row[j]! / stride;
    }
  }
}

/**
 * Every window of every unit ending at cycle `minCycles` or later, labelled with the capped RUL at its
 * last cycle. `trueRul` (uncapped) and `unitIndex` ride along for validation metrics.
 */
export function trainingWindows(
  units: CmapssUnit[],
  sensors: number[],
  stats: MinMaxStats,
  options: WindowOptions = { windowLength: WINDOW_LENGTH },
): WindowBatch {
  const { windowLength, cap = RUL_CAP, smoothing = 1, stride = 1, cycleScale } = options;
  const minCycles = Math.max(1, options.minCycles ?? windowLength * stride);
  const features = featureCount(sensors, options);
  const count = units.reduce((n, u) => n + Math.max(0, u.rows.length - minCycles + 1), 0);
  const x = new Float32Array(count * windowLength * features);
  const y = new Float32Array(count);
  const trueRul = new Float32Array(count);
  const unitIndex = new Int32Array(count);
  let i = 0;
  units.forEach((unit, u) => {
    const rows = unitFeatures(unit, sensors, stats, smoothing, cycleScale);
    const targets = rulTargets(unit, Number.POSITIVE_INFINITY);
    for (let end = minCycles - 1; end < rows.length; end++) {
      writeWindow(x, i * windowLength * features, rows, end, windowLength, stride);
      y[i] = Math.min(cap, targets[end]!);
      trueRul[i] = targets[end]!;
      unitIndex[i] = u;
      i++;
    }
  });
  return { x, y, count, windowLength, features, trueRul, unitIndex };
}

/**
 * For each unit, the windows ending at its last `tail` cycles (last cycle first), padded at the front
 * when the unit is shorter than the window; `y` repeats the unit's true RUL after its last cycle.
 * tail = 1 is the literature's last-window protocol.
 */
export function lastWindows(
  units: CmapssUnit[],
  trueRul: number[],
  sensors: number[],
  stats: MinMaxStats,
  options: WindowOptions = { windowLength: WINDOW_LENGTH },
  tail = 1,
): WindowBatch {
  const { windowLength, smoothing = 1, stride = 1, cycleScale } = options;
  const features = featureCount(sensors, options);
  const count = units.length * tail;
  const x = new Float32Array(count * windowLength * features);
  const y = new Float32Array(count);
  const unitIndex = new Int32Array(count);
  units.forEach((unit, u) => {
    const rows = unitFeatures(unit, sensors, stats, smoothing, cycleScale);
    for (let k = 0; k < tail; k++) {
      const i = u * tail + k;
      writeWindow(
        x,
        i * windowLength * features,
        rows,
        Math.max(0, rows.length - 1 - k),
        windowLength,
        stride,
      );
      y[i] = trueRul[u]!;
      unitIndex[i] = u;
    }
  });
  return { x, y, count, windowLength, features, trueRul: Float32Array.from(y), unitIndex };
}

/**
 * Combines predictions at a unit's last `tail` cycles into one: the window ending k cycles earlier
 * predicted RUL + k then, so it says (prediction − k) now. Averaging these damps the noise of a single
 * window. A prediction at the cap means "at least the cap", which shifting would turn into a false
 * count-down, so shifted values are never taken below what the last window alone says when that sits at
 * the cap. `predicted` is laid out as `lastWindows` lays out its windows.
 */
export function combineTail(
  predicted: ArrayLike<number>,
  units: number,
  tail: number,
  cap = RUL_CAP,
): Float32Array {
  const out = new Float32Array(units);
  for (let u = 0; u < units; u++) {
    let sum = 0;
    for (let k = 0; k < tail; k++) {
      const p = predicted[u * tail + k]!;
      sum += p >= cap ? p : p - k;
    }
    out[u] = Math.max(0, sum / tail);
  }
  return out;
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
