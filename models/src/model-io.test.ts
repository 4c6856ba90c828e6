import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.ts';
import { loadModel, type ModelMetadata, saveModel } from './model-io.ts';

const metadata: ModelMetadata = {
  featureSpec: { features: ['s2', 's3'], windowLength: 4 },
  normalisation: { min: [0, 1], max: [2, 3] },
  trainingRange: { dataset: 'test' },
  metrics: { rmse: 1.5 },
  backend: 'wasm',
  createdAt: '2026-01-01T00:00:00.000Z',
};

describe('saveModel / loadModel', () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend('wasm', () => {});
    dir = await mkdtemp(path.join(tmpdir(), 'aftercare-model-io-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reloads a GRU regressor that gives identical predictions, with its metadata', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.gru({ units: 4, inputShape: [4, 2] }),
        tf.layers.dense({ units: 3, activation: 'relu' }),
        tf.layers.dense({ units: 1 }),
      ],
    });
    const x = tf.randomUniform([5, 4, 2], 0, 1, 'float32', 7);
    const before = (model.predict(x) as tf.Tensor).dataSync();

    await saveModel(model, dir, metadata);
    expect((await readdir(dir)).sort()).toEqual(['metadata.json', 'model.json', 'weights.bin']);
    const loaded = await loadModel(dir);
    const after = (loaded.model.predict(x) as tf.Tensor).dataSync();

    expect(Array.from(after)).toEqual(Array.from(before));
    expect(loaded.metadata).toEqual(metadata);
  });
});
