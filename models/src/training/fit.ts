import * as tf from '@tensorflow/tfjs';
import { type PlateauOptions, PlateauSchedule, setLearningRate } from './lr-schedule.ts';
import type { EpochProgress, ProgressListener } from './progress.ts';
import { mulberry32, permutation } from './random.ts';
import { useFastWasmMatMul } from './wasm-matmul.ts';

export interface TensorPair {
  x: tf.Tensor;
  y: tf.Tensor;
}

export interface EarlyStoppingFitOptions {
  /** Most epochs to run. */
  epochs: number;
  /** Epochs without a better validation loss before training stops. */
  patience: number;
  /**
   * Relative improvement that resets the patience count (0.01 = 1 % lower loss); smaller gains still
   * update the kept weights but no longer keep training alive. Default 0: any improvement counts.
   */
  minRelativeDelta?: number;
  batchSize: number;
  learningRate: number;
  /** Reduce the rate on a validation plateau; omitted = constant rate. */
  plateau?: PlateauOptions;
  /** Seeds the batch order of every epoch. */
  seed: number;
  /** Reported as `member`/`members` in progress, for ensembles. */
  member?: { index: number; of: number };
  onEpoch?: ProgressListener;
  signal?: AbortSignal;
}

export interface EarlyStoppingFitResult {
  epochsRun: number;
  bestEpoch: number;
  bestValLoss: number;
  trainSeconds: number;
  finalLearningRate: number;
}

/**
 * Trains `model` (already built, not compiled) with Adam on mean squared error, one fit call per epoch
 * so that batch order (seeded), the learning-rate schedule, early stopping and the choice of weights are
 * ours. On return the model holds the weights of the epoch with the lowest validation loss.
 *
 * The validation pair must come from units held out of training: it is the only thing that picks
 * the epoch, the rate and (upstream) the configuration.
 */
export async function fitWithEarlyStopping(
  model: tf.LayersModel,
  train: TensorPair,
  validation: TensorPair,
  options: EarlyStoppingFitOptions,
): Promise<EarlyStoppingFitResult> {
  if (tf.getBackend() === 'wasm') useFastWasmMatMul();
  const optimizer = tf.train.adam(options.learningRate);
  model.compile({ optimizer, loss: 'meanSquaredError' });
  const schedule = options.plateau ? new PlateauSchedule(options.learningRate, options.plateau) : null;
  const random = mulberry32(options.seed);
  const count = train.x.shape[0]!;
  let best: tf.Tensor[] | null = null;
  let bestEpoch = 0;
  let bestValLoss = Number.POSITIVE_INFINITY;
  /** The loss and epoch of the last improvement large enough to reset the patience count. */
  let mark = Number.POSITIVE_INFINITY;
  let markEpoch = 0;
  const minDelta = options.minRelativeDelta ?? 0;
  let epochsRun = 0;
  let rate = options.learningRate;
  const started = performance.now();
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
      const epochStart = performance.now();
      const order = tf.tensor1d(permutation(count, random), 'int32');
      const xs = tf.gather(train.x, order);
      const ys = tf.gather(train.y, order);
      let history: tf.History;
      try {
        history = await model.fit(xs, ys, {
          epochs: 1,
          batchSize: options.batchSize,
          shuffle: false,
          validationData: [validation.x, validation.y],
          verbose: 0,
        });
      } finally {
        tf.dispose([order, xs, ys]);
      }
      epochsRun = epoch;
      const loss = Number(history.history.loss?.[0]);
      const valLoss = Number(history.history.val_loss?.[0]);
      if (!Number.isFinite(valLoss)) throw new Error(`validation loss is ${valLoss} at epoch ${epoch}`);
      const improved = valLoss < bestValLoss;
      if (improved) {
        bestValLoss = valLoss;
        bestEpoch = epoch;
        for (const w of best ?? []) w.dispose();
        best = model.getWeights().map((w) => w.clone());
      }
      if (valLoss < mark * (1 - minDelta)) {
        mark = valLoss;
        markEpoch = epoch;
      }
      const usedRate = rate;
      if (schedule) {
        rate = schedule.step(valLoss);
        setLearningRate(optimizer, rate);
      }
      const stopping = epoch - markEpoch >= options.patience || epoch === options.epochs;
      const progress: EpochProgress = {
        member: options.member?.index ?? 1,
        members: options.member?.of ?? 1,
        epoch,
        epochs: options.epochs,
        loss,
        valLoss,
        learningRate: usedRate,
        seconds: (performance.now() - epochStart) / 1000,
        improved,
        stopping,
      };
      options.onEpoch?.(progress);
      if (stopping) break;
    }
    if (best) model.setWeights(best);
  } finally {
    for (const w of best ?? []) w.dispose();
    optimizer.dispose();
  }
  return {
    epochsRun,
    bestEpoch,
    bestValLoss,
    trainSeconds: (performance.now() - started) / 1000,
    finalLearningRate: rate,
  };
}
