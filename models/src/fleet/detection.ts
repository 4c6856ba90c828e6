import type * as tf from '@tensorflow/tfjs';
import type { ScoredPoints } from './dataset.ts';
import { addCounts, type DetectionCounts, defaultMergeGapMs, emptyCounts, summarise } from './episodes.ts';
import type { FleetModelMetadata } from './fleet-metadata.ts';
import { predictFleet } from './fleet-network.ts';
import { applyNormalisation } from './normalisation.ts';
import type { BaselineRule, BaselineScores } from './rule-baseline.ts';
import { candidateThresholds, chooseThreshold, countsAt, type TargetSeries } from './thresholds.ts';

/** A trained fleet model with its metadata, from training or from the registry. */
export interface FleetModel {
  model: tf.LayersModel;
  metadata: FleetModelMetadata;
}

/** One device's scores at its scoring times: the model's and the rule baseline's. */
export interface DeviceScores {
  points: Omit<ScoredPoints, 'x'>;
  /** times × targets. */
  pFail: Float32Array;
  /** times × targets, in days. */
  daysLeft: Float32Array;
  baseline: BaselineScores[];
}

/** Runs the model over a device's scoring times in one call. */
export function predictPoints(
  fleet: FleetModel,
  points: ScoredPoints,
  baseline: BaselineScores[],
): DeviceScores {
  const { x, ...rest } = points;
  if (points.rows === 0) {
    return { points: rest, pFail: new Float32Array(0), daysLeft: new Float32Array(0), baseline };
  }
  const scaled = applyNormalisation(fleet.metadata.normalisation, x, points.rows);
  const prediction = predictFleet(fleet.model, scaled, points.rows, points.width);
  const scale = fleet.metadata.daysLeft.scaleDays;
  return {
    points: rest,
    pFail: prediction.pFail,
    daysLeft: prediction.daysLeftFraction.map((v) => v * scale),
    baseline,
  };
}

export type ScoreSource = { kind: 'model' } | { kind: 'baseline'; rule: BaselineRule['kind'] };

/** The series of one target (failure mode index k) over many devices, from the model or a rule. */
export function targetSeries(
  devices: readonly DeviceScores[],
  k: number,
  source: ScoreSource,
): TargetSeries[] {
  return devices.map((d) => {
    const targets = d.points.targets.length;
    const scores =
      source.kind === 'model'
        ? Float32Array.from({ length: d.points.rows }, (_, i) => d.pFail[i * targets + k]!)
        : d.baseline[k]![source.rule];
    return {
      times: d.points.times,
      scores,
      down: d.points.down,
      failedAt: d.points.failedAt[k]!,
      judge: d.points.judge,
    };
  });
}

export interface TunedTarget {
  threshold: number;
  baseline: BaselineRule;
  model: ReturnType<typeof summarise>;
  baselineFigures: ReturnType<typeof summarise>;
}

/**
 * Chooses, on validation devices, the model's threshold for target k and the baseline's rule and
 * threshold for the same target, by the same policy (`chooseThreshold`: the earliest-alerting
 * threshold within 0.02 of the best F1); the baseline takes whichever of its rules scores better.
 */
export function tuneTarget(devices: readonly DeviceScores[], k: number, horizonDays: number): TunedTarget {
  const modelSeries = targetSeries(devices, k, { kind: 'model' });
  const candidates = [
    ...candidateThresholds(modelSeries),
    ...Array.from({ length: 19 }, (_, i) => 0.05 * (i + 1)),
  ].sort((a, b) => a - b);
  const model = chooseThreshold(modelSeries, candidates, horizonDays) ?? {
    threshold: 0.5,
    figures: summarise(countsAt(modelSeries, 0.5, horizonDays)),
  };
  let best: { rule: BaselineRule; figures: ReturnType<typeof summarise> } | null = null;
  for (const kind of ['sigma', 'range'] as const) {
    const series = targetSeries(devices, k, { kind: 'baseline', rule: kind });
    const chosen = chooseThreshold(series, candidateThresholds(series), horizonDays);
    if (chosen && (!best || (chosen.figures.f1 ?? 0) > (best.figures.f1 ?? 0))) {
      best = { rule: { kind, threshold: chosen.threshold }, figures: chosen.figures };
    }
  }
  const fallback: BaselineRule = { kind: 'sigma', threshold: 3 };
  return {
    threshold: Math.min(1, Math.max(0, model.threshold)),
    baseline: best?.rule ?? fallback,
    model: model.figures,
    baselineFigures:
      best?.figures ??
      summarise(countsAt(targetSeries(devices, k, { kind: 'baseline', rule: 'sigma' }), 3, horizonDays)),
  };
}

/** Counts over all targets of some devices, the model at its thresholds and the baseline at its rules. */
export function countDevices(
  devices: readonly DeviceScores[],
  thresholds: readonly number[],
  rules: readonly BaselineRule[],
  horizonDays: number,
  mergeGapMs = defaultMergeGapMs,
): { model: DetectionCounts[]; baseline: DetectionCounts[] } {
  const model = thresholds.map(() => emptyCounts());
  const baseline = thresholds.map(() => emptyCounts());
  thresholds.forEach((threshold, k) => {
    addCounts(
      model[k]!,
      countsAt(targetSeries(devices, k, { kind: 'model' }), threshold, horizonDays, mergeGapMs),
    );
    const rule = rules[k]!;
    addCounts(
      baseline[k]!,
      countsAt(
        targetSeries(devices, k, { kind: 'baseline', rule: rule.kind }),
        rule.threshold,
        horizonDays,
        mergeGapMs,
      ),
    );
  });
  return { model, baseline };
}

/** Mean absolute error of days left (in days) where a failure really came and the model alerted. */
export function daysLeftError(
  devices: readonly DeviceScores[],
  thresholds: readonly number[],
  horizonDays: number,
): { sum: number; n: number } {
  let sum = 0;
  let n = 0;
  for (const d of devices) {
    const targets = d.points.targets.length;
    for (let i = 0; i < d.points.rows; i++) {
      for (let k = 0; k < targets; k++) {
        const truth = d.points.daysLeft[i * targets + k]!;
        if (truth < 0 || d.pFail[i * targets + k]! < thresholds[k]!) continue;
        sum += Math.abs(d.daysLeft[i * targets + k]! - truth * horizonDays);
        n++;
      }
    }
  }
  return { sum, n };
}
