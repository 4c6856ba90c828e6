import type * as tf from '@tensorflow/tfjs';
import type { ModelMetadata } from '../model-io.ts';
import { loadCmapss } from './loader.ts';
import {
  fitMinMax,
  INFORMATIVE_SENSORS,
  lastWindows,
  phm08Score,
  RUL_CAP,
  rmse,
  sensorIndices,
  trainingWindows,
  WINDOW_LENGTH,
} from './prepare.ts';
import { buildRulModel, type EpochProgress, predictRul, splitUnits, trainRulModel } from './rul-model.ts';

export interface CmapssBenchmarkOptions {
  dir: string;
  subset: string;
  epochs: number;
  patience: number;
  backend: string;
  /** Fraction of training units held out for early stopping; the test file is never looked at. */
  validationFraction?: number;
  seed?: number;
  gruUnits?: number;
  learningRate?: number;
  onEpoch?: (progress: EpochProgress) => void;
}

export interface CmapssBenchmarkResult {
  subset: string;
  rmse: number;
  score: number;
  /** RMSE against true RUL capped at 125, as several papers report it; for orientation only. */
  rmseCappedTruth: number;
  backend: string;
  trainSeconds: number;
  epochsRun: number;
  bestEpoch: number;
  trainWindows: number;
  model: tf.LayersModel;
  metadata: ModelMetadata;
}

/** Trains on train_<subset>, stops early on held-out training units, then scores the test file once. */
export async function runCmapssBenchmark(options: CmapssBenchmarkOptions): Promise<CmapssBenchmarkResult> {
  const data = await loadCmapss(options.dir, options.subset);
  const sensors = sensorIndices(INFORMATIVE_SENSORS);
  const split = splitUnits(data.train, options.validationFraction ?? 0.2, options.seed ?? 1);
  const stats = fitMinMax(split.train, sensors);
  const train = trainingWindows(split.train, sensors, stats);
  const validation = trainingWindows(split.validation, sensors, stats);

  const model = buildRulModel({
    windowLength: WINDOW_LENGTH,
    features: sensors.length,
    ...(options.gruUnits ? { gruUnits: options.gruUnits } : {}),
  });
  const trained = await trainRulModel(model, train, validation, {
    epochs: options.epochs,
    patience: options.patience,
    targetScale: RUL_CAP,
    ...(options.learningRate ? { learningRate: options.learningRate } : {}),
    ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}),
  });

  const test = lastWindows(data.test, data.testRul, sensors, stats);
  const predicted = predictRul(trained.model, test, RUL_CAP);
  const result = {
    rmse: rmse(predicted, test.y),
    score: phm08Score(predicted, test.y),
    rmseCappedTruth: rmse(
      predicted,
      test.y.map((v) => Math.min(v, RUL_CAP)),
    ),
  };
  const metadata: ModelMetadata = {
    featureSpec: { features: [...INFORMATIVE_SENSORS], windowLength: WINDOW_LENGTH, targetScale: RUL_CAP },
    normalisation: stats,
    trainingRange: {
      dataset: `C-MAPSS train_${options.subset}`,
      trainUnits: split.train.map((u) => u.unit),
      validationUnits: split.validation.map((u) => u.unit),
    },
    metrics: { ...result, bestValLoss: trained.bestValLoss, epochsRun: trained.epochsRun },
    backend: options.backend,
    createdAt: new Date().toISOString(),
  };
  return {
    subset: options.subset,
    ...result,
    backend: options.backend,
    trainSeconds: trained.trainSeconds,
    epochsRun: trained.epochsRun,
    bestEpoch: trained.bestEpoch,
    trainWindows: train.count,
    model: trained.model,
    metadata,
  };
}
