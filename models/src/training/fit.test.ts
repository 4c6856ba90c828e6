import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import { fitWithEarlyStopping } from './fit.ts';
import type { EpochProgress } from './progress.ts';

function data(count: number, seed: number) {
  const x = tf.randomUniform([count, 4], 0, 1, 'float32', seed);
  const y = tf.tidy(() => x.sum(1, true).div(4));
  return { x, y };
}

function model(seed: number): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({
        units: 8,
        inputShape: [4],
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
      }),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  });
}

describe('fitWithEarlyStopping', () => {
  beforeAll(async () => {
    await initBackend('wasm', () => {});
  });

  it('repeats a run exactly from its seeds, and another batch-order seed gives other weights', async () => {
    const train = data(256, 1);
    const validation = data(64, 2);
    const run = async (seed: number) => {
      const m = model(10);
      await fitWithEarlyStopping(m, train, validation, {
        epochs: 3,
        patience: 3,
        batchSize: 32,
        learningRate: 0.01,
        seed,
      });
      const w = m.getWeights().flatMap((t) => Array.from(t.dataSync()));
      m.dispose();
      return w;
    };
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect(await run(6)).not.toEqual(a);
    tf.dispose([train.x, train.y, validation.x, validation.y]);
  });

  it('reduces the rate on a validation plateau and reports it per epoch', async () => {
    const train = data(128, 3);
    // Validation targets unrelated to the inputs: its loss soon stops improving.
    const validation = {
      x: tf.randomUniform([64, 4], 0, 1, 'float32', 4),
      y: tf.randomUniform([64, 1], 0, 1, 'float32', 5),
    };
    const seen: EpochProgress[] = [];
    const m = model(20);
    const result = await fitWithEarlyStopping(m, train, validation, {
      epochs: 40,
      patience: 6,
      batchSize: 32,
      learningRate: 0.05,
      plateau: { factor: 0.5, patience: 2, minLearningRate: 1e-4 },
      seed: 1,
      member: { index: 2, of: 3 },
      onEpoch: (p) => seen.push(p),
    });
    expect(seen.map((p) => p.epoch)).toEqual(Array.from({ length: result.epochsRun }, (_, i) => i + 1));
    expect(seen.every((p) => p.member === 2 && p.members === 3)).toBe(true);
    expect(seen.at(-1)!.stopping).toBe(true);
    expect(seen.slice(0, -1).some((p) => p.stopping)).toBe(false);
    expect(result.epochsRun).toBeLessThan(40);
    expect(result.finalLearningRate).toBeLessThan(0.05);
    const rates = seen.map((p) => p.learningRate);
    for (let i = 1; i < rates.length; i++) expect(rates[i]).toBeLessThanOrEqual(rates[i - 1]!);
    // The kept weights are the best epoch's: evaluating them gives the best validation loss.
    const loss = (m.evaluate(validation.x, validation.y) as tf.Scalar).dataSync()[0]!;
    expect(loss).toBeCloseTo(result.bestValLoss, 5);
    m.dispose();
    tf.dispose([train.x, train.y, validation.x, validation.y]);
  });

  it('with minRelativeDelta, small gains keep the best weights but do not keep training alive', async () => {
    const train = data(128, 7);
    const validation = {
      x: tf.randomUniform([64, 4], 0, 1, 'float32', 8),
      y: tf.randomUniform([64, 1], 0, 1, 'float32', 9),
    };
    const seen: EpochProgress[] = [];
    const m = model(30);
    const result = await fitWithEarlyStopping(m, train, validation, {
      epochs: 30,
      patience: 3,
      minRelativeDelta: 0.5,
      batchSize: 32,
      learningRate: 0.01,
      seed: 2,
      onEpoch: (p) => seen.push(p),
    });
    // Epoch 1 sets the mark; no later epoch halves the loss, so training ends 3 epochs later.
    expect(result.epochsRun).toBe(4);
    expect(result.bestValLoss).toBe(Math.min(...seen.map((p) => p.valLoss)));
    m.dispose();
    tf.dispose([train.x, train.y, validation.x, validation.y]);
  });
});
