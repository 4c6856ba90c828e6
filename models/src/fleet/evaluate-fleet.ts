import { type DeviceModel, type Logger, silentLogger } from '@aftercare/core';
import { scoringPoints } from './dataset.ts';
import { countDevices, daysLeftError, type FleetModel, predictPoints } from './detection.ts';
import {
  addCounts,
  type DetectionCounts,
  type DetectionFigures,
  emptyCounts,
  summarise,
} from './episodes.ts';
import { eachHistory, type HistorySource } from './labelled-history.ts';
import { baselineScores } from './rule-baseline.ts';

export interface EvaluateFleetOptions {
  /** One per device model; devices of other models are counted as skipped. */
  models: readonly FleetModel[];
  /** A fleet made with other seeds than the training and validation fleets. */
  histories: HistorySource;
  onProgress?: (progress: { devices: number; skipped: number }) => void;
  logger?: Logger;
}

export interface SideBySide {
  model: DetectionFigures;
  baseline: DetectionFigures;
}

export interface FleetEvaluation extends SideBySide {
  devices: number;
  /** Devices whose model has no fleet model here. */
  skippedDevices: number;
  /** Mean |predicted − true| days left where a failure came and the model alerted. */
  daysLeftMaeDays: number | null;
  byDeviceModel: (SideBySide & { deviceModel: DeviceModel; devices: number; horizonDays: number })[];
  byFailureMode: (SideBySide & { deviceModel: DeviceModel; failureMode: string; component: string })[];
}

/**
 * Scores every device of a fleet at the scoring times the thresholds were tuned for, with each
 * model at its operating thresholds and the rule baseline at its tuned rules, and judges both the
 * same way (episodes.ts states the definitions of precision, recall and lead time). Streams the
 * fleet device by device: memory holds counts, not histories.
 */
export async function evaluateFleet(options: EvaluateFleetOptions): Promise<FleetEvaluation> {
  const log = (options.logger ?? silentLogger).child({ component: 'fleet-evaluation' });
  const byModel = new Map(options.models.map((m) => [m.metadata.deviceModel, m]));
  const perTarget = new Map<
    DeviceModel,
    { model: DetectionCounts[]; baseline: DetectionCounts[]; devices: number }
  >();
  let devices = 0;
  let skipped = 0;
  let maeSum = 0;
  let maeN = 0;
  for await (const history of eachHistory(options.histories)) {
    devices++;
    const fleet = byModel.get(history.model);
    if (!fleet) {
      skipped++;
      options.onProgress?.({ devices, skipped });
      continue;
    }
    const { metadata } = fleet;
    const spec = metadata.featureSpec;
    const points = scoringPoints(spec, history, metadata.horizonDays, metadata.evaluation.everyHours);
    const baseline = baselineScores(history.model, points.targets, history.window, spec.stepMs, [
      ...points.times,
    ]);
    const scores = predictPoints(fleet, points, baseline);
    const thresholds = metadata.targets.map((t) => t.threshold);
    const counts = countDevices(
      [scores],
      thresholds,
      metadata.targets.map((t) => t.baseline),
      metadata.horizonDays,
      metadata.evaluation.mergeGapHours * 3_600_000,
    );
    let acc = perTarget.get(history.model);
    if (!acc) {
      acc = {
        model: thresholds.map(() => emptyCounts()),
        baseline: thresholds.map(() => emptyCounts()),
        devices: 0,
      };
      perTarget.set(history.model, acc);
    }
    acc.devices++;
    counts.model.forEach((c, k) => {
      addCounts(acc.model[k]!, c);
    });
    counts.baseline.forEach((c, k) => {
      addCounts(acc.baseline[k]!, c);
    });
    const mae = daysLeftError([scores], thresholds, metadata.horizonDays);
    maeSum += mae.sum;
    maeN += mae.n;
    options.onProgress?.({ devices, skipped });
  }

  const allModel = emptyCounts();
  const allBaseline = emptyCounts();
  const byDeviceModel: FleetEvaluation['byDeviceModel'] = [];
  const byFailureMode: FleetEvaluation['byFailureMode'] = [];
  for (const [deviceModel, acc] of perTarget) {
    const { metadata } = byModel.get(deviceModel)!;
    const modelCounts = acc.model.reduce(addCounts, emptyCounts());
    const baselineCounts = acc.baseline.reduce(addCounts, emptyCounts());
    addCounts(allModel, modelCounts);
    addCounts(allBaseline, baselineCounts);
    byDeviceModel.push({
      deviceModel,
      devices: acc.devices,
      horizonDays: metadata.horizonDays,
      model: summarise(modelCounts),
      baseline: summarise(baselineCounts),
    });
    metadata.targets.forEach((target, k) => {
      byFailureMode.push({
        deviceModel,
        failureMode: target.failureMode,
        component: target.component,
        model: summarise(acc.model[k]!),
        baseline: summarise(acc.baseline[k]!),
      });
    });
  }
  const result: FleetEvaluation = {
    devices,
    skippedDevices: skipped,
    model: summarise(allModel),
    baseline: summarise(allBaseline),
    daysLeftMaeDays: maeN > 0 ? maeSum / maeN : null,
    byDeviceModel,
    byFailureMode,
  };
  log.info(
    {
      devices,
      precision: result.model.precision,
      recall: result.model.recall,
      baselinePrecision: result.baseline.precision,
      baselineRecall: result.baseline.recall,
    },
    'fleet evaluated',
  );
  return result;
}
