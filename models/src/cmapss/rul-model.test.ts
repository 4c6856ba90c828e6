import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import type { WindowBatch } from './prepare.ts';
import { buildRulModel, predictRul, splitUnits, trainRulModel } from './rul-model.ts';

/** Windows whose every value equals the target / 100: learnable in a few epochs by a tiny GRU. */
function rampBatch(count: number, windowLength = 5, features = 2): WindowBatch {
  const y = Float32Array.from({ length: count }, (_, i) => (i % 50) * 2);
  const x = new Float32Array(count * windowLength * features);
  for (let i = 0; i < count; i++)
    x.fill(y[i]! / 100, i * windowLength * features, (i + 1) * windowLength * features);
  return { x, y, count, windowLength, features };
}

describe('splitUnits', () => {
  it('puts every unit in exactly one side, a fifth in validation, reproducibly per seed', () => {
    const units = Array.from({ length: 100 }, (_, i) => i + 1);
    const a = splitUnits(units, 0.2, 1);
    expect(a.validation).toHaveLength(20);
    expect([...a.train, ...a.validation].sort((p, q) => p - q)).toEqual(units);
    expect(a.train.some((u) => a.validation.includes(u))).toBe(false);
    expect(splitUnits(units, 0.2, 1)).toEqual(a);
    expect(splitUnits(units, 0.2, 2).validation).not.toEqual(a.validation);
  });
});

describe('trainRulModel', () => {
  beforeAll(async () => {
    await initBackend('wasm', () => {});
  });

  it('learns a simple target on wasm and reports one progress line per epoch', async () => {
    const model = buildRulModel({ windowLength: 5, features: 2, gruUnits: 8 });
    const lines: number[] = [];
    const result = await trainRulModel(model, rampBatch(400), rampBatch(100), {
      epochs: 15,
      patience: 15,
      batchSize: 32,
      learningRate: 0.01,
      targetScale: 100,
      onEpoch: (p) => lines.push(p.epoch),
    });
    expect(lines).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    const predicted = predictRul(result.model, rampBatch(100), 100);
    const truth = rampBatch(100).y;
    const meanAbsError = predicted.reduce((s, p, i) => s + Math.abs(p - truth[i]!), 0) / truth.length;
    expect(meanAbsError).toBeLessThan(15);
  });

  it('stops after `patience` epochs without a better validation loss and keeps the best weights', async () => {
    // Validation targets unrelated to the inputs: validation loss cannot keep improving.
    const validation = rampBatch(100);
    validation.y.reverse();
    const model = buildRulModel({ windowLength: 5, features: 2, gruUnits: 4 });
    const result = await trainRulModel(model, rampBatch(200), validation, {
      epochs: 50,
      patience: 2,
      batchSize: 64,
      learningRate: 0.01,
      targetScale: 100,
    });
    expect(result.epochsRun).toBeLessThan(50);
    expect(result.epochsRun - result.bestEpoch).toBe(2);
    const [vx, vy] = [
      tf.tensor3d(validation.x, [100, 5, 2]),
      tf.tensor2d(
        validation.y.map((v) => v / 100),
        [100, 1],
      ),
    ];
    const restoredLoss = (result.model.evaluate(vx, vy) as tf.Scalar).dataSync()[0]!;
    // fit validates in inference mode (no dropout), as evaluate does, so the two losses agree.
    expect(restoredLoss).toBeCloseTo(result.bestValLoss, 4);
    tf.dispose([vx, vy]);
  });
});
