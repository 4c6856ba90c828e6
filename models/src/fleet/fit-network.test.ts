import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import { mulberry32 } from '../training/random.ts';
import { fitFleetNetwork, type LabelledMatrix } from './fit-network.ts';

/** Rows whose first feature decides the first target, the rest noise from a seeded source. */
function matrix(rows: number, seed: number): LabelledMatrix {
  const random = mulberry32(seed);
  const width = 6;
  const targets = 2;
  const x = new Float32Array(rows * width);
  const fails = new Uint8Array(rows * targets);
  const daysLeft = new Float32Array(rows * targets).fill(-1);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < width; c++) x[r * width + c] = random() * 2 - 1;
    if (x[r * width]! > 0.3) {
      fails[r * targets] = 1;
      daysLeft[r * targets] = 1 - x[r * width]!;
    }
  }
  return { x, rows, width, fails, daysLeft, targets };
}

describe('fitFleetNetwork', () => {
  beforeAll(async () => {
    await initBackend('cpu', () => {});
  });

  it('trains the same weights twice from the same seed, and others from another seed', async () => {
    const train = matrix(256, 1);
    const validation = matrix(64, 2);
    const options = { epochs: 3, patience: 3, batchSize: 32, learningRate: 0.01, hiddenUnits: [8] };
    const weightsOf = async (seed: number) => {
      const { model } = await fitFleetNetwork(train, validation, { ...options, seed });
      const values = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      return values;
    };
    const first = await weightsOf(7);
    expect(await weightsOf(7)).toEqual(first);
    expect(await weightsOf(8)).not.toEqual(first);
  });

  it('learns the signal it is given', async () => {
    const train = matrix(512, 3);
    const validation = matrix(128, 4);
    const { model } = await fitFleetNetwork(train, validation, {
      epochs: 30,
      patience: 5,
      batchSize: 32,
      learningRate: 0.01,
      hiddenUnits: [8],
      seed: 1,
    });
    const [pFail] = model.predict(
      tf.tensor2d(validation.x, [validation.rows, validation.width]),
    ) as tf.Tensor[];
    const p = pFail!.arraySync() as number[][];
    let right = 0;
    for (let r = 0; r < validation.rows; r++)
      right += Number(p[r]![0]! > 0.5) === validation.fails[r * 2] ? 1 : 0;
    expect(right / validation.rows).toBeGreaterThan(0.9);
    tf.dispose(pFail);
    model.dispose();
  });
});
