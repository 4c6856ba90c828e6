import * as tf from '@tensorflow/tfjs';
import type { WindowBatch } from './prepare.ts';

export interface RulModelShape {
  windowLength: number;
  features: number;
  /** GRU width; 32–64 trains in seconds per epoch on wasm. */
  gruUnits?: number;
}

export interface EpochProgress {
  epoch: number;
  epochs: number;
  loss: number;
  valLoss: number;
  seconds: number;
  improved: boolean;
}

export interface RulTrainOptions {
  epochs: number;
  /** Epochs without a better validation loss before training stops. */
  patience: number;
  batchSize?: number;
  learningRate?: number;
  /** Targets are divided by this so the network regresses values in [0, 1]. */
  targetScale: number;
  onEpoch?: (progress: EpochProgress) => void;
}

export interface RulTrainResult {
  /** Holds the weights of the epoch with the lowest validation loss. */
  model: tf.LayersModel;
  epochsRun: number;
  bestEpoch: number;
  bestValLoss: number;
  trainSeconds: number;
}

/** Deterministic PRNG so a unit split is reproducible from its seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
  const shuffled = [...units];
  const random = mulberry32(seed);
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const validationCount = Math.max(1, Math.round(units.length * validationFraction));
  return { validation: shuffled.slice(0, validationCount), train: shuffled.slice(validationCount) };
}

export function buildRulModel({ windowLength, features, gruUnits = 48 }: RulModelShape): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.gru({ units: gruUnits, inputShape: [windowLength, features] }),
      tf.layers.dense({ units: 32, activation: 'relu' }),
      tf.layers.dropout({ rate: 0.1 }),
      tf.layers.dense({ units: 1 }),
    ],
  });
  return model;
}

function toTensors(batch: WindowBatch, targetScale: number): [tf.Tensor3D, tf.Tensor2D] {
  const x = tf.tensor3d(batch.x, [batch.count, batch.windowLength, batch.features]);
  const y = tf.tensor2d(
    batch.y.map((v) => v / targetScale),
    [batch.count, 1],
  );
  return [x, y];
}

/** Trains with Adam/MSE, one fit call per epoch so progress, early stopping and best weights are ours. */
export async function trainRulModel(
  model: tf.LayersModel,
  train: WindowBatch,
  validation: WindowBatch,
  options: RulTrainOptions,
): Promise<RulTrainResult> {
  model.compile({ optimizer: tf.train.adam(options.learningRate ?? 1e-3), loss: 'meanSquaredError' });
  const [x, y] = toTensors(train, options.targetScale);
  const [vx, vy] = toTensors(validation, options.targetScale);
  let best: tf.Tensor[] | null = null;
  let bestEpoch = 0;
  let bestValLoss = Number.POSITIVE_INFINITY;
  let epochsRun = 0;
  const started = performance.now();
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const epochStart = performance.now();
      const history = await model.fit(x, y, {
        epochs: 1,
        batchSize: options.batchSize ?? 256,
        shuffle: true,
        validationData: [vx, vy],
        verbose: 0,
      });
      epochsRun = epoch;
      const loss = Number(history.history.loss?.[0]);
      const valLoss = Number(history.history.val_loss?.[0]);
      const improved = valLoss < bestValLoss;
      if (improved) {
        bestValLoss = valLoss;
        bestEpoch = epoch;
        for (const w of best ?? []) w.dispose();
        best = model.getWeights().map((w) => w.clone());
      }
      options.onEpoch?.({
        epoch,
        epochs: options.epochs,
        loss,
        valLoss,
        seconds: (performance.now() - epochStart) / 1000,
        improved,
      });
      if (epoch - bestEpoch >= options.patience) break;
    }
    if (best) model.setWeights(best);
  } finally {
    tf.dispose([x, y, vx, vy, ...(best ?? [])]);
  }
  return { model, epochsRun, bestEpoch, bestValLoss, trainSeconds: (performance.now() - started) / 1000 };
}

/** Predicted RUL in cycles for each window of the batch. */
export function predictRul(model: tf.LayersModel, batch: WindowBatch, targetScale: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor3d(batch.x, [batch.count, batch.windowLength, batch.features]);
    const out = (model.predict(x, { batchSize: 1024 }) as tf.Tensor).mul(targetScale);
    return out.dataSync() as Float32Array;
  });
}
