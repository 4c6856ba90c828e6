import * as tf from '@tensorflow/tfjs';
import { mulberry32, permutation } from '../training/random.ts';
import { buildFleetNetwork, maskedMse } from './fleet-network.ts';

export interface LabelledMatrix {
  /** Normalised rows × width. */
  x: Float32Array;
  rows: number;
  width: number;
  fails: Uint8Array;
  daysLeft: Float32Array;
  targets: number;
}

export interface FitOptions {
  epochs: number;
  patience: number;
  batchSize: number;
  learningRate: number;
  hiddenUnits: number[];
  seed: number;
  onEpoch?: (progress: EpochReport) => void;
}

export interface EpochReport {
  epoch: number;
  epochs: number;
  loss: number;
  valLoss: number;
  seconds: number;
  improved: boolean;
}

export interface FitResult {
  model: tf.LayersModel;
  epochsRun: number;
  bestEpoch: number;
  bestValLoss: number;
  trainSeconds: number;
}

/** The days-left head's share of the loss: classification is what alerts are made of. */
const daysLeftLossWeight = 0.5;
const weightedMaskedMse = (yTrue: tf.Tensor, yPred: tf.Tensor) =>
  tf.tidy(() => tf.mul(maskedMse(yTrue, yPred), daysLeftLossWeight));

function tensors(m: LabelledMatrix): [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D] {
  return [
    tf.tensor2d(m.x, [m.rows, m.width]),
    tf.tensor2d(Float32Array.from(m.fails), [m.rows, m.targets]),
    tf.tensor2d(m.daysLeft, [m.rows, m.targets]),
  ];
}

/**
 * Trains a fresh fleet network with Adam (binary cross-entropy on p_fail, masked MSE on days
 * left), one epoch per fit call, stopping after `patience` epochs without a better validation
 * loss and keeping the best epoch's weights.
 */
export async function fitFleetNetwork(
  train: LabelledMatrix,
  validation: LabelledMatrix,
  options: FitOptions,
): Promise<FitResult> {
  const model = buildFleetNetwork({
    inputs: train.width,
    targets: train.targets,
    hiddenUnits: options.hiddenUnits,
    seed: options.seed,
  });
  model.compile({
    optimizer: tf.train.adam(options.learningRate),
    loss: [
      (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.metrics.binaryCrossentropy(yTrue, yPred),
      weightedMaskedMse,
    ],
  });
  const [x, yFail, yDays] = tensors(train);
  const [vx, vFail, vDays] = tensors(validation);
  let best: tf.Tensor[] | null = null;
  let bestEpoch = 0;
  let bestValLoss = Number.POSITIVE_INFINITY;
  let epochsRun = 0;
  // Batch order comes from the seed (tfjs's own shuffle draws from Math.random), so one seed
  // gives one model.
  const random = mulberry32(options.seed);
  const started = performance.now();
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const epochStart = performance.now();
      const order = tf.tensor1d(permutation(train.rows, random), 'int32');
      const [xs, fs, ds] = [tf.gather(x, order), tf.gather(yFail, order), tf.gather(yDays, order)];
      let history: tf.History;
      try {
        history = await model.fit(xs, [fs, ds], {
          epochs: 1,
          batchSize: options.batchSize,
          shuffle: false,
          validationData: [vx, [vFail, vDays]],
          verbose: 0,
        });
      } finally {
        tf.dispose([order, xs, fs, ds]);
      }
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
    tf.dispose([x, yFail, yDays, vx, vFail, vDays, ...(best ?? [])]);
  }
  return { model, epochsRun, bestEpoch, bestValLoss, trainSeconds: (performance.now() - started) / 1000 };
}
