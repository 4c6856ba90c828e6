import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import { useFastWasmMatMul } from './wasm-matmul.ts';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('useFastWasmMatMul', () => {
  beforeAll(async () => {
    await initBackend('wasm', () => {});
  });

  it('gives the products of the cpu backend for every transpose combination and batched shapes', async () => {
    const cases: [number[], number[], boolean, boolean][] = [
      [[37, 13], [37, 21], true, false],
      [[37, 13], [21, 13], false, true],
      [[13, 37], [21, 13], true, true],
      [[3, 9, 5], [3, 9, 4], true, false],
      [[3, 5, 9], [1, 4, 9], false, true],
    ];
    const products = () =>
      cases.map(([sa, sb, ta, tb]) =>
        tf.tidy(() =>
          tf.matMul(tf.randomNormal(sa, 0, 1, 'float32', 1), tf.randomNormal(sb, 0, 1, 'float32', 2), ta, tb),
        ),
      );
    await tf.setBackend('cpu');
    const before = products().map((t) => ({ shape: t.shape, values: t.dataSync() }));
    await tf.setBackend('wasm');
    expect(useFastWasmMatMul()).toBe(true);
    expect(useFastWasmMatMul()).toBe(true);
    const tensorsBefore = tf.memory().numTensors;
    const after = products();
    after.forEach((t, i) => {
      expect(t.shape).toEqual(before[i]!.shape);
      expect(maxAbsDiff(t.dataSync(), before[i]!.values)).toBeLessThan(1e-4);
    });
    tf.dispose(after);
    // The transposed copies are freed: nothing is left behind.
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('leaves gradients unchanged: a dense layer trains to the same weights as on the cpu backend', async () => {
    const train = async () => {
      const model = tf.sequential({
        layers: [
          tf.layers.dense({
            units: 8,
            inputShape: [6],
            activation: 'tanh',
            kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
          }),
          tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
        ],
      });
      model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
      const x = tf.randomNormal([64, 6], 0, 1, 'float32', 5);
      const y = tf.randomNormal([64, 1], 0, 1, 'float32', 6);
      await model.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      tf.dispose([x, y]);
      model.dispose();
      return weights.flat();
    };
    useFastWasmMatMul();
    const onWasm = await train();
    await tf.setBackend('cpu');
    try {
      const onCpu = await train();
      expect(maxAbsDiff(onWasm, onCpu)).toBeLessThan(1e-4);
    } finally {
      await tf.setBackend('wasm');
    }
  });
});
