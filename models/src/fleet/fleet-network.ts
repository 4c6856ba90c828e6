import * as tf from '@tensorflow/tfjs';

/** Layer names the explainer and the scorer rely on. */
export const LOGITS_LAYER = 'fail_logits';
export const P_FAIL_OUTPUT = 'p_fail';
export const DAYS_LEFT_OUTPUT = 'days_left';

export interface FleetNetworkShape {
  inputs: number;
  targets: number;
  hiddenUnits?: number[];
  dropout?: number;
  seed?: number;
}

/**
 * A dense network over one feature row: a shared trunk, then per failure mode a logit → sigmoid
 * (probability of failure within the horizon) and a sigmoid days-left head (fraction of the horizon).
 * The logits are a layer of their own so explanations can differentiate them (a saturated sigmoid
 * would flatten the gradients).
 */
export function buildFleetNetwork({
  inputs,
  targets,
  hiddenUnits = [64, 32],
  dropout = 0.2,
  seed = 1,
}: FleetNetworkShape): tf.LayersModel {
  const input = tf.input({ shape: [inputs], name: 'features' });
  let trunk: tf.SymbolicTensor = input;
  hiddenUnits.forEach((units, i) => {
    trunk = tf.layers
      .dense({
        units,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + i }),
        name: `trunk_${i}`,
      })
      .apply(trunk) as tf.SymbolicTensor;
    if (dropout > 0 && i === 0) {
      trunk = tf.layers
        .dropout({ rate: dropout, seed, name: 'trunk_dropout' })
        .apply(trunk) as tf.SymbolicTensor;
    }
  });
  const logits = tf.layers
    .dense({
      units: targets,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 100 }),
      name: LOGITS_LAYER,
    })
    .apply(trunk) as tf.SymbolicTensor;
  const pFail = tf.layers
    .activation({ activation: 'sigmoid', name: P_FAIL_OUTPUT })
    .apply(logits) as tf.SymbolicTensor;
  const daysLeft = tf.layers
    .dense({
      units: targets,
      activation: 'sigmoid',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 200 }),
      name: DAYS_LEFT_OUTPUT,
    })
    .apply(trunk) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: [pFail, daysLeft], name: 'fleet_failure_classifier' });
}

/**
 * Mean squared error over the entries whose target is known (≥ 0); unknown targets are −1. The
 * days-left head only learns where a failure really came within the horizon.
 */
export function maskedMse(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const mask = tf.cast(tf.greaterEqual(yTrue, 0), 'float32');
    const diff = tf.mul(tf.sub(yPred, yTrue), mask);
    return tf.div(tf.sum(tf.square(diff)), tf.maximum(tf.sum(mask), 1));
  });
}

/** The logits of every output, for gradient × input attributions. */
export function logitsModel(model: tf.LayersModel): tf.LayersModel {
  return tf.model({
    inputs: model.inputs,
    outputs: model.getLayer(LOGITS_LAYER).output as tf.SymbolicTensor,
  });
}

export interface FleetPrediction {
  /** rows × targets, row-major. */
  pFail: Float32Array;
  /** rows × targets, as a fraction of the horizon. */
  daysLeftFraction: Float32Array;
}

/** One forward pass over already-normalised rows. */
export function predictFleet(
  model: tf.LayersModel,
  x: Float32Array,
  rows: number,
  width: number,
): FleetPrediction {
  return tf.tidy(() => {
    const input = tf.tensor2d(x, [rows, width]);
    const [p, d] = model.predict(input, { batchSize: 4096 }) as tf.Tensor[];
    return { pFail: p!.dataSync() as Float32Array, daysLeftFraction: d!.dataSync() as Float32Array };
  });
}
