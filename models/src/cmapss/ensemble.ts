import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import {
  loadModel,
  type ModelMetadata,
  modelMetadataSchema,
  parseSavedJson,
  readSavedJson,
  saveModel,
} from '../model-io.ts';
import type { ProgressListener } from '../training/progress.ts';
import { deriveSeed } from '../training/random.ts';
import { type RulConfig, rulConfigSchema } from './config.ts';
import type { CmapssUnit } from './loader.ts';
import {
  combineTail,
  fitMinMax,
  lastWindows,
  type MinMaxStats,
  rmse,
  sensorIndices,
  trainingWindows,
  type WindowBatch,
  type WindowOptions,
} from './prepare.ts';
import { buildRulModel, predictRul, splitUnits, trainRulModel } from './rul-model.ts';
import { cutPoints, truncatedWindows } from './truncation.ts';

/** How one ensemble member was trained, for the metadata and the report. */
export interface RulMemberInfo {
  seed: number;
  trainUnits: number[];
  validationUnits: number[];
  epochsRun: number;
  bestEpoch: number;
  /**
   * RMSE in cycles (capped target) on this member's held-out units at its best epoch, scored as
   * `config.validationTruncations` says (last window before seeded cuts, or every window).
   */
  validationRmse: number;
  trainSeconds: number;
}

/** Several RUL networks trained with different seeds and held-out units; predicts their mean. */
export interface RulEnsemble {
  config: RulConfig;
  /** Min-max statistics of `config.sensors`, fitted on training units only. */
  stats: MinMaxStats;
  members: tf.LayersModel[];
  memberInfo: RulMemberInfo[];
}

export interface TrainEnsembleOptions {
  onEpoch?: ProgressListener;
  signal?: AbortSignal;
}

export function windowOptions(config: RulConfig): WindowOptions {
  return {
    windowLength: config.windowLength,
    stride: config.stride,
    smoothing: config.smoothing,
    cap: config.cap,
    minCycles: config.minCycles,
    ...(config.cycleScale ? { cycleScale: config.cycleScale } : {}),
  };
}

/**
 * What a member's held-out units are scored on: the last window before each of
 * `config.validationTruncations` seeded cuts per unit (the test protocol; placed as
 * `config.validationCuts` says), or every window when 0.
 */
export function heldOutWindows(
  units: CmapssUnit[],
  sensors: number[],
  stats: MinMaxStats,
  config: RulConfig,
  seed: number,
): WindowBatch {
  const options = windowOptions(config);
  if (config.validationTruncations === 0) return trainingWindows(units, sensors, stats, options);
  const cuts = cutPoints(config.validationCuts, units, config.validationTruncations, config.minCycles, seed);
  return truncatedWindows(units, cuts, sensors, stats, options);
}

/**
 * Trains `config.members` networks on `units` (training units only). Each member holds out its own
 * `validationFraction` of the units, chosen by its seed, for early stopping and the learning-rate
 * schedule, so every unit trains most members and the members disagree where the data is thin.
 */
export async function trainRulEnsemble(
  units: CmapssUnit[],
  config: RulConfig,
  options: TrainEnsembleOptions = {},
): Promise<{ ensemble: RulEnsemble; trainSeconds: number }> {
  const started = performance.now();
  const sensors = sensorIndices(config.sensors);
  const stats = fitMinMax(units, sensors);
  const members: tf.LayersModel[] = [];
  const memberInfo: RulMemberInfo[] = [];
  try {
    for (let m = 1; m <= config.members; m++) {
      const seed = deriveSeed(config.seed, `member-${m}`);
      const split = splitUnits(units, config.validationFraction, deriveSeed(seed, 'split'));
      const train = trainingWindows(split.train, sensors, stats, windowOptions(config));
      const validation = heldOutWindows(split.validation, sensors, stats, config, deriveSeed(seed, 'cuts'));
      // An empty batch fails deep inside TensorFlow, naming a tensor shape; say which units fell short.
      if (train.count === 0)
        throw new Error(
          `ensemble member ${m}: its ${split.train.length} training units give no window (the first ends at cycle ${config.minCycles})`,
        );
      if (validation.count === 0)
        throw new Error(
          `ensemble member ${m}: its ${split.validation.length} early-stopping units are too short to score (none gives a window)`,
        );
      const model = buildRulModel({
        windowLength: config.windowLength,
        features: train.features,
        architecture: config.architecture,
        seed: deriveSeed(seed, 'init'),
      });
      members.push(model);
      const result = await trainRulModel(model, train, validation, {
        epochs: config.epochs,
        patience: config.patience,
        minRelativeDelta: config.minDelta,
        batchSize: config.batchSize,
        learningRate: config.learningRate,
        ...(config.plateau ? { plateau: config.plateau } : {}),
        targetScale: config.cap,
        seed: deriveSeed(seed, 'batches'),
        member: { index: m, of: config.members },
        ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      memberInfo.push({
        seed,
        trainUnits: split.train.map((u) => u.unit),
        validationUnits: split.validation.map((u) => u.unit),
        epochsRun: result.epochsRun,
        bestEpoch: result.bestEpoch,
        validationRmse: rmse(predictRul(model, validation, config.cap), validation.y),
        trainSeconds: result.trainSeconds,
      });
    }
  } catch (err) {
    for (const model of members) model.dispose();
    throw err;
  }
  return {
    ensemble: { config, stats, members, memberInfo },
    trainSeconds: (performance.now() - started) / 1000,
  };
}

/** Mean prediction of the members, in cycles, per window. */
export function predictEnsemble(ensemble: RulEnsemble, batch: WindowBatch): Float32Array {
  const out = new Float32Array(batch.count);
  for (const model of ensemble.members) {
    const p = predictRul(model, batch, ensemble.config.cap);
    for (let i = 0; i < out.length; i++) out[i]! += p[i]! / ensemble.members.length;
  }
  return out;
}

/** One RUL per unit from its last cycles (the literature's last-window protocol, `config.tail` windows). */
export function predictUnitsRul(ensemble: RulEnsemble, units: CmapssUnit[]): Float32Array {
  const { config } = ensemble;
  const batch = lastWindows(
    units,
    units.map(() => 0),
    sensorIndices(config.sensors),
    ensemble.stats,
    windowOptions(config),
    config.tail,
  );
  return combineTail(predictEnsemble(ensemble, batch), units.length, config.tail, config.cap);
}

export function disposeEnsemble(ensemble: RulEnsemble): void {
  for (const model of ensemble.members) model.dispose();
}

/** The file of a saved ensemble's folder that lists its members and configuration. */
export const ENSEMBLE_FILE = 'ensemble.json';
const ENSEMBLE_KIND = 'aftercare/cmapss-rul-ensemble';

const ensembleFileSchema = z.object({
  kind: z.literal(ENSEMBLE_KIND),
  version: z.literal(1),
  config: rulConfigSchema,
  normalisation: z.object({ min: z.array(z.number()), max: z.array(z.number()) }),
  members: z.array(z.object({ dir: z.string().regex(/^member-\d+$/) })).min(1),
  dataset: z.string(),
  metrics: z.record(z.string(), z.number()),
  backend: z.string(),
  createdAt: z.string(),
});

/** metadata.json of a member: a model's, with the units it trained and early-stopped on. */
const memberMetadataSchema = modelMetadataSchema.extend({
  trainingRange: z.looseObject({
    dataset: z.string(),
    trainUnits: z.array(z.number()).optional(),
    validationUnits: z.array(z.number()).optional(),
  }),
});

export interface SavedEnsembleInfo {
  dataset: string;
  metrics: Record<string, number>;
  backend: string;
}

/**
 * Writes `ensemble.json` (configuration, normalisation, metrics) and one `member-<n>/` folder per
 * network in model-io's format (model.json, weights.bin, metadata.json), so each member is also a
 * model on its own.
 */
export async function saveRulEnsemble(
  ensemble: RulEnsemble,
  dir: string,
  info: SavedEnsembleInfo,
): Promise<void> {
  const createdAt = new Date().toISOString();
  const { config, stats } = ensemble;
  const members = ensemble.members.map((_, i) => ({ dir: `member-${i + 1}` }));
  for (const [i, model] of ensemble.members.entries()) {
    const member = ensemble.memberInfo[i]!;
    const metadata: ModelMetadata = {
      featureSpec: {
        features: [...config.sensors, ...(config.cycleScale ? [`cycle/${config.cycleScale}`] : [])],
        windowLength: config.windowLength,
        stride: config.stride,
        smoothing: config.smoothing,
        targetScale: config.cap,
        minCycles: config.minCycles,
      },
      normalisation: { min: stats.min, max: stats.max },
      trainingRange: {
        dataset: info.dataset,
        trainUnits: member.trainUnits,
        validationUnits: member.validationUnits,
      },
      metrics: {
        validationRmse: member.validationRmse,
        epochsRun: member.epochsRun,
        bestEpoch: member.bestEpoch,
        trainSeconds: member.trainSeconds,
        seed: member.seed,
      },
      backend: info.backend,
      createdAt,
    };
    await saveModel(model, path.join(dir, members[i]!.dir), metadata);
  }
  const file: z.infer<typeof ensembleFileSchema> = {
    kind: ENSEMBLE_KIND,
    version: 1,
    config,
    normalisation: stats,
    members,
    dataset: info.dataset,
    metrics: info.metrics,
    backend: info.backend,
    createdAt,
  };
  await writeFile(path.join(dir, ENSEMBLE_FILE), `${JSON.stringify(file, null, 2)}\n`);
}

export async function loadRulEnsemble(
  dir: string,
): Promise<{ ensemble: RulEnsemble; saved: SavedEnsembleInfo & { createdAt: string } }> {
  const file = path.join(dir, ENSEMBLE_FILE);
  const saved = parseSavedJson(ensembleFileSchema, await readSavedJson(file), file);
  const members: tf.LayersModel[] = [];
  const memberInfo: RulMemberInfo[] = [];
  try {
    for (const member of saved.members) {
      const { model, metadata } = await loadModel(path.join(dir, member.dir), memberMetadataSchema);
      members.push(model);
      memberInfo.push({
        seed: metadata.metrics.seed ?? 0,
        trainUnits: metadata.trainingRange.trainUnits ?? [],
        validationUnits: metadata.trainingRange.validationUnits ?? [],
        epochsRun: metadata.metrics.epochsRun ?? 0,
        bestEpoch: metadata.metrics.bestEpoch ?? 0,
        validationRmse: metadata.metrics.validationRmse ?? Number.NaN,
        trainSeconds: metadata.metrics.trainSeconds ?? 0,
      });
    }
  } catch (err) {
    // The members loaded before the one that failed hold tensors nobody else will free.
    for (const model of members) model.dispose();
    throw err;
  }
  return {
    ensemble: { config: saved.config, stats: saved.normalisation, members, memberInfo },
    saved: {
      dataset: saved.dataset,
      metrics: saved.metrics,
      backend: saved.backend,
      createdAt: saved.createdAt,
    },
  };
}
