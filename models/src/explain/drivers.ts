import { catalog, type DeviceModel, type MetricSpec, type RiskDriver } from '@aftercare/core';
import * as tf from '@tensorflow/tfjs';
import { DAY_MS } from '../features/feature-spec.ts';
import { logitsModel } from '../fleet/fleet-network.ts';
import { measureMovement } from './movement.ts';

const logitsCache = new WeakMap<tf.LayersModel, tf.LayersModel>();

function logitsOf(model: tf.LayersModel): tf.LayersModel {
  let logits = logitsCache.get(model);
  if (!logits) {
    logits = logitsModel(model);
    logitsCache.set(model, logits);
  }
  return logits;
}

/**
 * Gradient × input of every target's logit for a batch of normalised rows: how much each feature's
 * distance from the training mean (0 after scaling) moves each failure mode's score, row by row.
 * One backward pass per target over the whole batch. Returns, per target, rows × width values.
 */
export function attributeBatch(
  model: tf.LayersModel,
  scaled: Float32Array,
  rows: number,
  width: number,
  targets: number,
): Float32Array[] {
  const logits = logitsOf(model);
  const out: Float32Array[] = [];
  tf.tidy(() => {
    const input = tf.tensor2d(scaled, [rows, width]);
    for (let k = 0; k < targets; k++) {
      // Rows are independent, so the gradient of the batch's summed logit is each row's own gradient.
      const grad = tf.grad((x: tf.Tensor) => (logits.apply(x) as tf.Tensor).slice([0, k], [-1, 1]).sum());
      out.push(grad(input).mul(input).dataSync() as Float32Array);
    }
  });
  return out;
}

const groupCache = new WeakMap<readonly string[], string[]>();

/** `metric:stat:7d` → metric; parsed once per feature list (scoring describes many risks). */
function groupsOf(features: readonly string[]): string[] {
  let groups = groupCache.get(features);
  if (!groups) {
    groups = features.map((name) => name.split(':')[0]!);
    groupCache.set(features, groups);
  }
  return groups;
}

export interface DriverInput {
  deviceModel: DeviceModel;
  /** Feature names in input order (`metric:stat:horizon`, `context:…`, `events:…`). */
  features: readonly string[];
  horizonsDays: readonly number[];
  /** One row's attribution, in feature order. */
  contributions: ArrayLike<number>;
  /** The scoring time. */
  at: number;
  /**
   * Mean of a metric over [from, to), from the same telemetry the features came from (for a machine
   * that cycles, over its running hours: the catalogue's `running`).
   */
  level: (metric: string, from: number, to: number) => number;
}

/** A metric with a smaller share of the attribution than this is not worth a planner's reading. */
export const minDriverWeight = 0.05;

/** Decimals that give a change two significant digits (6.1, 29, 0.21), the levels the same. */
function decimalsFor(change: number): number {
  const abs = Math.abs(change);
  if (!(abs > 0)) return 1;
  return Math.min(3, Math.max(0, 1 - Math.floor(Math.log10(abs))));
}

function plain(value: number, decimals: number): string {
  return value.toFixed(decimals).replace('-', '−');
}

/** A level for a metric that did not move: precision by size, as the console prints readings. */
function levelText(value: number): string {
  const abs = Math.abs(value);
  return plain(value, abs >= 100 ? 0 : abs >= 1 ? 1 : 2);
}

function daysText(days: number): string {
  return `${days} day${days === 1 ? '' : 's'}`;
}

function withUnit(text: string, unit: string): string {
  return unit === 'count' || unit === '' ? text : `${text} ${unit}`;
}

/** The unit of a change: a percentage moves in points (52 → 100 % is +48 points, not +48 %). */
function changeUnit(unit: string): string {
  return unit === '%' ? 'points' : unit;
}

/** Daily means of a metric over the `days` before `at`, oldest first (NaN for a day without data). */
function dailyLevels(input: DriverInput, metric: string, days: number): number[] {
  const daily: number[] = [];
  for (let d = days; d >= 1; d--)
    daily.push(input.level(metric, input.at - d * DAY_MS, input.at - (d - 1) * DAY_MS));
  return daily;
}

/** One metric's movement over the look-back, in words. */
function describeMetric(
  input: DriverInput,
  spec: MetricSpec,
  weight: number,
  lookbackDays: number,
): RiskDriver {
  const daily = dailyLevels(input, spec.name, lookbackDays);
  const [low, high] = spec.healthy;
  const movement = measureMovement(daily, high - low);
  const base = { metric: spec.name, label: spec.label, unit: spec.unit, weight };
  const whole = lookbackDays - 1;
  if (!movement.measurable) {
    return {
      ...base,
      change: 0,
      overDays: whole,
      direction: 'steady',
      text: `${spec.label}: too few readings over ${daysText(whole)} to size the change`,
    };
  }
  const change = Number(movement.change.toPrecision(6));
  if (spec.cumulative) {
    // A running total (litres through the filters, wash cycles) grows with use: its level against
    // the usual range says something, its growth does not.
    const above = movement.now > high;
    return {
      ...base,
      change,
      overDays: whole,
      direction: above ? 'up' : 'steady',
      text: above
        ? `${spec.label} ${withUnit(levelText(movement.now), spec.unit)}, above the usual ${withUnit(levelText(high), spec.unit)}`
        : `${spec.label} normal at ${withUnit(levelText(movement.now), spec.unit)} (usual up to ${withUnit(levelText(high), spec.unit)})`,
    };
  }
  if (!movement.moved) {
    return {
      ...base,
      change,
      overDays: whole,
      direction: 'steady',
      text: `${spec.label} normal at ${withUnit(levelText(movement.now), spec.unit)}, no measurable change over ${daysText(whole)}`,
    };
  }
  const decimals = decimalsFor(movement.change);
  const sign = movement.change > 0 ? '+' : '−';
  return {
    ...base,
    change,
    overDays: movement.overDays,
    direction: movement.change > 0 ? 'up' : 'down',
    text:
      `${spec.label} ${withUnit(`${sign}${Math.abs(movement.change).toFixed(decimals)}`, changeUnit(spec.unit))} over ` +
      `${daysText(movement.overDays)} (${plain(movement.before, decimals)} → ${withUnit(plain(movement.now, decimals), spec.unit)})`,
  };
}

/**
 * The top metrics pushing a risk up, in words. Attributions are summed per metric (all its
 * statistics and horizons); a metric's weight is its positive share of all positive attribution
 * (device context and event counts included), so the drivers of one risk sum to at most 1, and the
 * drivers keep the order of their weights.
 *
 * Each is described over the look-back the model read (its longest horizon, against which the
 * features measure every shorter one): the level now (the last day's mean) against the unit's own
 * level before it began to move, and over how many days it moved (`measureMovement`). A metric with
 * a negligible share (below `minDriverWeight`), or whose level did not move measurably, is not
 * presented as a reason; only when no metric moved are the strongest named, as "normal".
 */
export function describeDrivers(input: DriverInput, top = 3): RiskDriver[] {
  const spec = catalog[input.deviceModel];
  const totals = new Map<string, number>();
  const groups = groupsOf(input.features);
  for (let i = 0; i < groups.length; i++) {
    const value = input.contributions[i]!;
    if (!Number.isFinite(value)) continue;
    totals.set(groups[i]!, (totals.get(groups[i]!) ?? 0) + value);
  }
  let positive = 0;
  for (const total of totals.values()) positive += Math.max(0, total);
  if (positive <= 0) return [];
  const lookbackDays = Math.max(2, Math.round(Math.max(...input.horizonsDays)));
  const candidates = [...totals]
    .map(([metric, total]) => ({
      spec: spec.metrics.find((m) => m.name === metric),
      weight: Math.min(1, total / positive),
    }))
    .filter(
      (c): c is { spec: MetricSpec; weight: number } => c.spec !== undefined && c.weight >= minDriverWeight,
    )
    .sort((a, b) => b.weight - a.weight);
  const described: RiskDriver[] = [];
  const reasons: RiskDriver[] = [];
  for (const c of candidates) {
    if (reasons.length >= top) break;
    const driver = describeMetric(input, c.spec, c.weight, lookbackDays);
    described.push(driver);
    if (driver.direction !== 'steady') reasons.push(driver);
  }
  return reasons.length > 0 ? reasons : described.slice(0, top);
}
