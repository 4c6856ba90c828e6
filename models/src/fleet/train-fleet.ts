import { type DeviceModel, deviceModels, type Logger, silentLogger } from '@aftercare/core';
import * as tf from '@tensorflow/tfjs';
import { type FeatureSpecOptions, featureNames, lookbackMs } from '../features/feature-spec.ts';
import { type ScoredPoints, scoringPoints, type TrainingSet, TrainingSetBuilder } from './dataset.ts';
import {
  countDevices,
  type DeviceScores,
  daysLeftError,
  type FleetModel,
  predictPoints,
  tuneTarget,
} from './detection.ts';
import { addCounts, type DetectionFigures, defaultMergeGapMs, emptyCounts, summarise } from './episodes.ts';
import { type FitOptions, fitFleetNetwork } from './fit-network.ts';
import { type FleetModelMetadata, fleetModelMetadataSchema } from './fleet-metadata.ts';
import { eachHistory, type HistorySource } from './labelled-history.ts';
import { applyNormalisation, fitNormalisation } from './normalisation.ts';
import { type BaselineScores, baselineScores } from './rule-baseline.ts';
import { labelledMatrix, validationMatrix } from './training-matrices.ts';

export type FleetTrainProgress =
  | { phase: 'histories'; set: 'training' | 'validation'; devices: number; rows: number }
  | {
      phase: 'epoch';
      deviceModel: DeviceModel;
      epoch: number;
      epochs: number;
      loss: number;
      valLoss: number;
      seconds: number;
      improved: boolean;
    }
  | {
      phase: 'trained';
      deviceModel: DeviceModel;
      validation: { model: DetectionFigures; baseline: DetectionFigures };
    }
  /** A device model asked for (every one, unless `deviceModels` names some) that gets no model, and why. */
  | { phase: 'skipped'; deviceModel: DeviceModel; reason: FleetSkipReason };

/**
 * Why a device model gets no model: none of it in the training fleet, no training row with enough
 * history, or none of it in the validation fleet that tunes its thresholds.
 */
export type FleetSkipReason = 'not-in-training' | 'no-training-rows' | 'not-in-validation';

export interface TrainFleetOptions {
  /** The training fleet, device by device. */
  histories: HistorySource;
  /** A fleet made with another seed: early stopping, operating thresholds and baseline tuning. */
  validation: HistorySource;
  /** Default: every device model the training fleet holds. */
  deviceModels?: readonly DeviceModel[];
  /** Predict failure within this many days (default 14). */
  horizonDays?: number;
  featureOptions?: FeatureSpecOptions;
  /** Training rows every this many hours per device (default 24). */
  sampleEveryHours?: number;
  /** Validation scoring times every this many hours (default 12); also used by evaluation. */
  evalEveryHours?: number;
  epochs?: number;
  patience?: number;
  /** Default: the power of two nearest rows / 64 (about 64 steps an epoch), between 32 and 512. */
  batchSize?: number;
  learningRate?: number;
  hiddenUnits?: number[];
  /** A firmware code becomes a feature when the training fleet raised it at least this often (default 5). */
  minCodeCount?: number;
  seed?: number;
  /** Described in the metadata, e.g. { dataset: 'simulated-fleet', seed: 1, devices: 300, days: 365 }. */
  trainingRange?: Record<string, unknown>;
  validationRange?: Record<string, unknown>;
  /** Recorded in the metadata; default the running tfjs backend. */
  backend?: string;
  onProgress?: (progress: FleetTrainProgress) => void;
  logger?: Logger;
}

export interface TrainedFleetModel extends FleetModel {
  deviceModel: DeviceModel;
}

interface ValidationDevices {
  devices: DeviceScores[];
  /** Raw rows kept until the model exists. */
  pending: { points: ScoredPoints; baseline: BaselineScores[] }[];
}

function defaultBatchSize(rows: number): number {
  return Math.min(512, Math.max(32, 2 ** Math.round(Math.log2(Math.max(1, rows / 64)))));
}

/** Metrics that could not be computed (nothing to divide by) are left out rather than stored as NaN. */
function definedOnly(values: Record<string, number | null>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(values).filter((e): e is [string, number] => e[1] !== null && Number.isFinite(e[1])),
  );
}

function range(values: (number | null)[]): { from: number | null; to: number | null } {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? { from: null, to: null } : { from: Math.min(...known), to: Math.max(...known) };
}

/**
 * Trains one fleet model per device model from labelled histories: features every
 * `sampleEveryHours`, labels "fails within H days" per failure mode, z-score normalisation fitted
 * on the training rows, a dense network with early stopping on the validation fleet, then per
 * failure mode the operating threshold and the rule baseline's rule and threshold, both chosen on
 * the validation fleet (never on a test fleet).
 */
export async function trainFleetModels(options: TrainFleetOptions): Promise<TrainedFleetModel[]> {
  const log = (options.logger ?? silentLogger).child({ component: 'fleet-training' });
  const horizonDays = options.horizonDays ?? 14;
  const evalEveryHours = options.evalEveryHours ?? 12;
  const wanted = options.deviceModels ? new Set(options.deviceModels) : null;
  const builders = new Map<DeviceModel, TrainingSetBuilder>();
  let devices = 0;
  for await (const history of eachHistory(options.histories)) {
    devices++;
    if (wanted && !wanted.has(history.model)) continue;
    let builder = builders.get(history.model);
    if (!builder) {
      builder = new TrainingSetBuilder(history.model, horizonDays, {
        ...(options.featureOptions ? { featureOptions: options.featureOptions } : {}),
        everyHours: options.sampleEveryHours ?? 24,
      });
      builders.set(history.model, builder);
    }
    builder.add(history);
    const rows = [...builders.values()].reduce((n, b) => n + b.rows, 0);
    options.onProgress?.({ phase: 'histories', set: 'training', devices, rows });
  }

  const skip = (deviceModel: DeviceModel, reason: FleetSkipReason, message: string) => {
    log.warn({ deviceModel, reason }, message);
    options.onProgress?.({ phase: 'skipped', deviceModel, reason });
  };
  for (const deviceModel of options.deviceModels ?? deviceModels)
    if (!builders.has(deviceModel))
      skip(
        deviceModel,
        'not-in-training',
        'the training fleet has no device of this model; no model trained',
      );
  const sets = new Map<DeviceModel, { set: TrainingSet; metadata: FleetModelMetadata }>();
  for (const [deviceModel, builder] of builders) {
    const set = builder.finish(options.minCodeCount ?? 5);
    if (set.rows === 0) {
      skip(
        deviceModel,
        'no-training-rows',
        'no training rows with enough data; no model for this device model',
      );
      continue;
    }
    const norm = fitNormalisation(set.x, set.rows, set.width);
    const names = featureNames(set.spec);
    // Filled in as training goes; validated as a whole before it is returned.
    const metadata = {
      kind: 'fleet-failure-classifier',
      deviceModel,
      featureSpec: { ...set.spec, features: names, windowLength: lookbackMs(set.spec) / set.spec.stepMs },
      normalisation: norm,
      horizonDays,
      targets: set.targets.map((t) => ({ ...t, threshold: 0.5 })),
      daysLeft: { method: 'masked-regression', scaleDays: horizonDays },
      evaluation: { everyHours: evalEveryHours, mergeGapHours: defaultMergeGapMs / 3_600_000 },
    } as unknown as FleetModelMetadata;
    sets.set(deviceModel, { set, metadata });
  }

  const validation = new Map<DeviceModel, ValidationDevices>();
  let validationDevices = 0;
  for await (const history of eachHistory(options.validation)) {
    validationDevices++;
    const entry = sets.get(history.model);
    if (!entry) continue;
    const points = scoringPoints(entry.set.spec, history, horizonDays, evalEveryHours);
    const baseline = baselineScores(history.model, entry.set.targets, history.window, entry.set.spec.stepMs, [
      ...points.times,
    ]);
    let v = validation.get(history.model);
    if (!v) {
      v = { devices: [], pending: [] };
      validation.set(history.model, v);
    }
    v.pending.push({ points, baseline });
    options.onProgress?.({ phase: 'histories', set: 'validation', devices: validationDevices, rows: 0 });
  }

  const trained: TrainedFleetModel[] = [];
  for (const [deviceModel, { set, metadata }] of sets) {
    const v = validation.get(deviceModel);
    if (!v || v.pending.length === 0) {
      skip(
        deviceModel,
        'not-in-validation',
        'the validation fleet has no device of this model; no model trained',
      );
      continue;
    }
    const fitOptions: FitOptions = {
      epochs: options.epochs ?? 40,
      patience: options.patience ?? 6,
      batchSize: options.batchSize ?? defaultBatchSize(set.rows),
      learningRate: options.learningRate ?? 2e-3,
      hiddenUnits: options.hiddenUnits ?? [64, 32],
      seed: options.seed ?? 1,
      onEpoch: (e) => options.onProgress?.({ phase: 'epoch', deviceModel, ...e }),
    };
    const train = labelledMatrix(set, applyNormalisation(metadata.normalisation, set.x, set.rows));
    const keepEvery = Math.max(1, Math.round((options.sampleEveryHours ?? 24) / evalEveryHours));
    const fit = await fitFleetNetwork(train, validationMatrix(metadata, v.pending, keepEvery), fitOptions);
    const fleet: FleetModel = { model: fit.model, metadata };
    v.devices = v.pending.map(({ points, baseline }) => predictPoints(fleet, points, baseline));
    v.pending = [];

    const tuned = set.targets.map((_, k) => tuneTarget(v.devices, k, horizonDays));
    const thresholds = tuned.map((t) => t.threshold);
    const rules = tuned.map((t) => t.baseline);
    const counts = countDevices(v.devices, thresholds, rules, horizonDays);
    const modelFigures = summarise(counts.model.reduce(addCounts, emptyCounts()));
    const baselineFigures = summarise(counts.baseline.reduce(addCounts, emptyCounts()));
    const mae = daysLeftError(v.devices, thresholds, horizonDays);
    const validationSpan = range(
      v.devices.flatMap((d) => [d.points.times[0] ?? null, d.points.judge.countUntil]),
    );
    const full: FleetModelMetadata = fleetModelMetadataSchema.parse({
      ...metadata,
      targets: set.targets.map((t, k) => ({
        ...t,
        threshold: thresholds[k],
        baseline: rules[k],
        validation: { model: tuned[k]!.model, baseline: tuned[k]!.baselineFigures },
      })),
      trainingRange: {
        dataset: 'labelled-histories',
        ...options.trainingRange,
        devices: set.devices,
        rows: set.rows,
        positives: set.positives,
        from: set.from,
        to: set.to,
      },
      validationRange: {
        dataset: 'labelled-histories',
        ...options.validationRange,
        devices: v.devices.length,
        ...validationSpan,
      },
      training: {
        epochs: fit.epochsRun,
        bestEpoch: fit.bestEpoch,
        trainSeconds: fit.trainSeconds,
        hiddenUnits: fitOptions.hiddenUnits,
        learningRate: fitOptions.learningRate,
        batchSize: fitOptions.batchSize,
      },
      metrics: definedOnly({
        val_loss: fit.bestValLoss,
        val_precision: modelFigures.precision,
        val_recall: modelFigures.recall,
        val_median_lead_days: modelFigures.medianLeadDays,
        val_baseline_precision: baselineFigures.precision,
        val_baseline_recall: baselineFigures.recall,
        val_baseline_median_lead_days: baselineFigures.medianLeadDays,
        val_days_left_mae: mae.n > 0 ? mae.sum / mae.n : null,
        train_seconds: fit.trainSeconds,
      }),
      backend: options.backend ?? tf.getBackend(),
      createdAt: new Date().toISOString(),
    });
    log.info(
      {
        deviceModel,
        rows: set.rows,
        features: set.width,
        epochs: fit.epochsRun,
        trainSeconds: Number(fit.trainSeconds.toFixed(1)),
        precision: modelFigures.precision,
        recall: modelFigures.recall,
      },
      'fleet model trained',
    );
    options.onProgress?.({
      phase: 'trained',
      deviceModel,
      validation: { model: modelFigures, baseline: baselineFigures },
    });
    trained.push({ deviceModel, model: fit.model, metadata: full });
  }
  return trained;
}
