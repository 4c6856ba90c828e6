import { catalog, type DeviceModel, type RiskDriver } from '@aftercare/core';
import * as tf from '@tensorflow/tfjs';
import { DAY_MS } from '../features/feature-spec.ts';
import { logitsModel } from '../fleet/fleet-network.ts';

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

interface ParsedName {
  group: string;
  /** Horizon in days, NaN for features without one. */
  horizon: number;
}

const parsedCache = new WeakMap<readonly string[], ParsedName[]>();

/** `metric:stat:7d` → metric and 7; parsed once per feature list (scoring describes many risks). */
function parseNames(features: readonly string[]): ParsedName[] {
  let parsed = parsedCache.get(features);
  if (!parsed) {
    parsed = features.map((name) => {
      const parts = name.split(':');
      return { group: parts[0]!, horizon: Number.parseFloat(parts[parts.length - 1] ?? '') };
    });
    parsedCache.set(features, parsed);
  }
  return parsed;
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
  /** Mean of a metric over [from, to), from the same telemetry the features came from. */
  level: (metric: string, from: number, to: number) => number;
}

/** Shortest span a driver's change is measured over: a one-day change is mostly the daily cycle. */
const minChangeDays = 3;

function formatNumber(value: number): string {
  const abs = Math.abs(value);
  return abs >= 100 ? value.toFixed(0) : abs >= 1 ? value.toFixed(1) : value.toFixed(2);
}

function daysText(days: number): string {
  return `${days} day${days === 1 ? '' : 's'}`;
}

/**
 * The top metrics pushing a risk up, in words. Attributions are summed per metric (all its
 * statistics and horizons); a metric's weight is its positive share of all positive attribution
 * (device context and event counts included), so the drivers of one risk sum to at most 1. Each is
 * described by how its level moved over the horizon that carried most of its attribution (at least
 * `minChangeDays`): the last day's mean minus the mean of that horizon's first day.
 */
export function describeDrivers(input: DriverInput, top = 3): RiskDriver[] {
  const spec = catalog[input.deviceModel];
  const groups = new Map<string, { total: number; byHorizon: Map<number, number> }>();
  const names = parseNames(input.features);
  for (let i = 0; i < names.length; i++) {
    const { group, horizon } = names[i]!;
    const value = input.contributions[i]!;
    if (!Number.isFinite(value)) continue;
    let g = groups.get(group);
    if (!g) {
      g = { total: 0, byHorizon: new Map() };
      groups.set(group, g);
    }
    g.total += value;
    if (Number.isFinite(horizon)) g.byHorizon.set(horizon, (g.byHorizon.get(horizon) ?? 0) + Math.abs(value));
  }
  let positive = 0;
  for (const g of groups.values()) positive += Math.max(0, g.total);
  if (positive <= 0) return [];
  const drivers: RiskDriver[] = [];
  for (const [metric, g] of groups) {
    const metricSpec = spec.metrics.find((m) => m.name === metric);
    if (!metricSpec || g.total <= 0) continue;
    let horizon = input.horizonsDays[input.horizonsDays.length - 1]!;
    let strongest = -1;
    for (const [h, v] of g.byHorizon) {
      if (v > strongest) {
        strongest = v;
        horizon = h;
      }
    }
    const span = Math.max(horizon, Math.min(minChangeDays, Math.max(...input.horizonsDays)));
    const overDays = Math.max(1, Math.round(span - 1));
    const recent = input.level(metric, input.at - DAY_MS, input.at);
    const earlier = input.level(metric, input.at - span * DAY_MS, input.at - (span - 1) * DAY_MS);
    const [low, high] = metricSpec.healthy;
    const steadyBelow = 0.01 * (high - low);
    const measurable = Number.isFinite(recent) && Number.isFinite(earlier);
    const change = measurable ? recent - earlier : 0;
    const direction = !measurable || Math.abs(change) < steadyBelow ? 'steady' : change > 0 ? 'up' : 'down';
    const unit = metricSpec.unit;
    const text = !measurable
      ? `${metricSpec.label}: too few readings over ${daysText(overDays)} to size the change`
      : direction === 'steady'
        ? `${metricSpec.label} steady at ${formatNumber(recent)} ${unit} over ${daysText(overDays)}`
        : `${metricSpec.label} ${change > 0 ? '+' : '−'}${formatNumber(Math.abs(change))} ${unit} over ${daysText(overDays)}`;
    drivers.push({
      metric,
      label: metricSpec.label,
      unit,
      change: Number(change.toPrecision(6)),
      overDays,
      direction,
      weight: Math.min(1, g.total / positive),
      text,
    });
  }
  return drivers.sort((a, b) => b.weight - a.weight).slice(0, top);
}
