import * as tf from '@tensorflow/tfjs';
import { fitWithEarlyStopping } from '../training/fit.ts';
import type { PlateauOptions } from '../training/lr-schedule.ts';
import type { ProgressListener } from '../training/progress.ts';
import { deriveSeed, mulberry32, shuffleInPlace } from '../training/random.ts';
import type { WindowBatch } from './prepare.ts';

/** The network that maps a window of sensors to remaining cycles (scaled to [0, 1] by the cap). */
export type RulArchitecture =
  | {
      kind: 'gru';
      /** GRU width; 32–64 train in seconds per epoch on wasm. */
      units: number;
      /** Width of the dense layer after the GRU. */
      dense: number;
      dropout: number;
      /** tfjs' GRU default is hardSigmoid; Keras' is sigmoid. */
      recurrentActivation?: 'hardSigmoid' | 'sigmoid';
    }
  | {
      /** Dense layers over the flattened window: the fastest to train on wasm. */
      kind: 'mlp';
      hidden: number[];
      dropout: number;
    };

export interface RulModelShape {
  windowLength: number;
  features: number;
  /** Shorthand for the default GRU architecture with this width. */
  gruUnits?: number;
  architecture?: RulArchitecture;
  /** Seeds the weight initialisers and dropout masks. */
  seed?: number;
}

export const DEFAULT_ARCHITECTURE: RulArchitecture = { kind: 'gru', units: 48, dense: 32, dropout: 0.1 };

export function describeArchitecture(a: RulArchitecture): string {
  return a.kind === 'gru'
    ? `GRU(${a.units})→Dense(${a.dense})→Dropout(${a.dropout})→Dense(1)`
    : `${a.hidden.map((h) => `Dense(${h})`).join('→')}→Dropout(${a.dropout})→Dense(1)`;
}

export function buildRulModel({
  windowLength,
  features,
  gruUnits,
  architecture,
  seed = 1,
}: RulModelShape): tf.LayersModel {
  const arch = architecture ?? { ...DEFAULT_ARCHITECTURE, ...(gruUnits ? { units: gruUnits } : {}) };
  const init = (name: string) => tf.initializers.glorotUniform({ seed: deriveSeed(seed, name) });
  const layers: tf.layers.Layer[] = [];
  if (arch.kind === 'gru') {
    layers.push(
      tf.layers.gru({
        units: arch.units,
        inputShape: [windowLength, features],
        recurrentActivation: arch.recurrentActivation ?? 'hardSigmoid',
        kernelInitializer: init('gru/kernel'),
        recurrentInitializer: tf.initializers.orthogonal({
          gain: 1,
          seed: deriveSeed(seed, 'gru/recurrent'),
        }),
      }),
      tf.layers.dense({ units: arch.dense, activation: 'relu', kernelInitializer: init('dense-0') }),
    );
  } else {
    layers.push(tf.layers.flatten({ inputShape: [windowLength, features] }));
    for (const [i, units] of arch.hidden.entries()) {
      layers.push(tf.layers.dense({ units, activation: 'relu', kernelInitializer: init(`dense-${i}`) }));
    }
  }
  layers.push(
    tf.layers.dropout({ rate: arch.dropout, seed: deriveSeed(seed, 'dropout') }),
    tf.layers.dense({ units: 1, kernelInitializer: init('out') }),
  );
  return tf.sequential({ layers });
}

/**
 * Splits whole units into training and validation: windows of one engine overlap and are nearly
 * identical, so a split by row would leak and make validation loss meaningless for early stopping.
 */
export function splitUnits<T>(
  units: T[],
  validationFraction: number,
  seed: number,
): { train: T[]; validation: T[] } {
  const shuffled = shuffleInPlace([...units], mulberry32(seed));
  const validationCount = Math.max(1, Math.round(units.length * validationFraction));
  return { validation: shuffled.slice(0, validationCount), train: shuffled.slice(validationCount) };
}

export interface RulTrainOptions {
  epochs: number;
  /** Epochs without a better validation loss before training stops. */
  patience: number;
  /** Relative improvement that resets the patience count (see fitWithEarlyStopping). */
  minRelativeDelta?: number;
  batchSize?: number;
  learningRate?: number;
  plateau?: PlateauOptions;
  /** Targets are divided by this so the network regresses values in [0, 1]. */
  targetScale: number;
  /** Seeds the batch order. */
  seed?: number;
  member?: { index: number; of: number };
  onEpoch?: ProgressListener;
  signal?: AbortSignal;
}

export interface RulTrainResult {
  /** Holds the weights of the epoch with the lowest validation loss. */
  model: tf.LayersModel;
  epochsRun: number;
  bestEpoch: number;
  bestValLoss: number;
  trainSeconds: number;
}

export function toTensors(batch: WindowBatch, targetScale: number): { x: tf.Tensor3D; y: tf.Tensor2D } {
  const x = tf.tensor3d(batch.x, [batch.count, batch.windowLength, batch.features]);
  const y = tf.tensor2d(
    batch.y.map((v) => v / targetScale),
    [batch.count, 1],
  );
  return { x, y };
}

/** Trains with Adam/MSE and early stopping on `validation`, which must be held-out units. */
export async function trainRulModel(
  model: tf.LayersModel,
  train: WindowBatch,
  validation: WindowBatch,
  options: RulTrainOptions,
): Promise<RulTrainResult> {
  const trainTensors = toTensors(train, options.targetScale);
  const validationTensors = toTensors(validation, options.targetScale);
  try {
    const result = await fitWithEarlyStopping(model, trainTensors, validationTensors, {
      epochs: options.epochs,
      patience: options.patience,
      ...(options.minRelativeDelta ? { minRelativeDelta: options.minRelativeDelta } : {}),
      batchSize: options.batchSize ?? 256,
      learningRate: options.learningRate ?? 1e-3,
      seed: options.seed ?? 1,
      ...(options.plateau ? { plateau: options.plateau } : {}),
      ...(options.member ? { member: options.member } : {}),
      ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { model, ...result };
  } finally {
    tf.dispose([trainTensors.x, trainTensors.y, validationTensors.x, validationTensors.y]);
  }
}

/** Predicted RUL in cycles for each window of the batch. */
export function predictRul(model: tf.LayersModel, batch: WindowBatch, targetScale: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor3d(batch.x, [batch.count, batch.windowLength, batch.features]);
    const out = (model.predict(x, { batchSize: 1024 }) as tf.Tensor).mul(targetScale);
    return out.dataSync() as Float32Array;
  });
}
