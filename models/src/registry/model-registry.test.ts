import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import { fleetModel } from './fleet-model-fixture.ts';
import { createModelRegistry } from './model-registry.ts';

function outputs(model: tf.LayersModel, inputs: number): number[] {
  return tf.tidy(() => {
    const x = tf.randomNormal([4, inputs], 0, 1, 'float32', 42);
    return Array.from((model.predict(x) as tf.Tensor[])[0]!.dataSync());
  });
}

describe('createModelRegistry', () => {
  let dataDir: string;
  beforeAll(async () => {
    await initBackend('wasm', () => {});
    dataDir = await mkdtemp(path.join(tmpdir(), 'aftercare-registry-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('numbers versions, lists them and has no active version until one is activated', async () => {
    const registry = createModelRegistry({ dataDir });
    expect(await registry.active('water-purifier')).toBeNull();
    expect(await registry.save(fleetModel(1))).toBe('v1');
    expect(await registry.save(fleetModel(2))).toBe('v2');
    expect(await registry.active('water-purifier')).toBeNull();
    const listed = await registry.list('water-purifier');
    expect(listed.map((e) => [e.version, e.active, e.metrics.seed])).toEqual([
      ['v1', false, 1],
      ['v2', false, 2],
    ]);
    expect(await readdir(path.join(dataDir, 'models', 'water-purifier'))).toEqual(['v1', 'v2']);
    registry.close();
  });

  it('loads the active version with the weights it was saved with', async () => {
    const registry = createModelRegistry({ dataDir });
    const trained = fleetModel(3);
    const version = await registry.save(trained, { activate: true });
    const active = await registry.active('water-purifier');
    const inputs = trained.metadata.featureSpec.features.length;
    expect(active?.version).toBe(version);
    expect(outputs(active!.model, inputs)).toEqual(outputs(trained.model, inputs));
    expect(active!.metadata).toEqual(trained.metadata);
    registry.close();
  });

  it('activates and rolls back, and a running scorer sees it at its next call without a restart', async () => {
    const scorer = createModelRegistry({ dataDir });
    const operator = createModelRegistry({ dataDir });
    await operator.activate('water-purifier', 'v1');
    expect((await scorer.active('water-purifier'))?.version).toBe('v1');
    await operator.activate('water-purifier', 'v2');
    expect((await scorer.active('water-purifier'))?.version).toBe('v2');
    expect(await operator.rollback('water-purifier')).toBe('v1');
    expect((await scorer.active('water-purifier'))?.version).toBe('v1');
    expect(await operator.rollback('water-purifier')).toBe('v3');
    expect((await scorer.active('water-purifier'))?.version).toBe('v3');
    await expect(operator.rollback('water-purifier')).rejects.toMatchObject({
      code: 'MODELS_NO_PREVIOUS_VERSION',
    });
    const files = await readdir(path.join(dataDir, 'models', 'water-purifier'));
    expect(files.filter((f) => f.endsWith('.tmp') || f.startsWith('.saving'))).toEqual([]);
    scorer.close();
    operator.close();
  });

  it('refuses to activate a version that does not exist or whose metadata is not valid', async () => {
    const registry = createModelRegistry({ dataDir });
    await expect(registry.activate('water-purifier', 'v99')).rejects.toMatchObject({
      code: 'MODELS_UNKNOWN_VERSION',
    });
    const version = await registry.save(fleetModel(4));
    const file = path.join(dataDir, 'models', 'water-purifier', version, 'metadata.json');
    await writeFile(file, JSON.stringify({ ...fleetModel(4).metadata, horizonDays: -1 }));
    await expect(registry.activate('water-purifier', version)).rejects.toMatchObject({
      code: 'MODELS_BAD_METADATA',
      message: expect.stringContaining('horizonDays'),
    });
    expect((await registry.list('water-purifier')).map((e) => e.version)).not.toContain(version);
    registry.close();
  });

  // Regression: a version whose metadata.json was cut short or hand-edited vanished from the list.
  it('lists a version whose metadata.json is cut short or hand-edited beside the others, saying what is wrong', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'aftercare-registry-broken-'));
    const registry = createModelRegistry({ dataDir: dir });
    try {
      for (const seed of [1, 2, 3]) await registry.save(fleetModel(seed), { activate: seed === 3 });
      const file = (version: string) => path.join(dir, 'models', 'water-purifier', version, 'metadata.json');
      const text = await readFile(file('v1'), 'utf8');
      await writeFile(file('v1'), text.slice(0, text.length / 2));
      await writeFile(file('v2'), JSON.stringify({ ...fleetModel(2).metadata, createdAt: undefined }));
      const { versions: listed, activeFileProblems } = await registry.inventory('water-purifier');
      expect(activeFileProblems).toEqual([]);
      expect(listed).toEqual([
        {
          deviceModel: 'water-purifier',
          version: 'v1',
          active: false,
          problem: `${file('v1')}: not valid JSON`,
        },
        {
          deviceModel: 'water-purifier',
          version: 'v2',
          active: false,
          problem: `${file('v2')}: createdAt: Invalid input: expected string, received undefined`,
        },
        expect.objectContaining({ version: 'v3', active: true, createdAt: fleetModel(3).metadata.createdAt }),
      ]);
      expect((await registry.list('water-purifier')).map((e) => e.version)).toEqual(['v3']);
      // Neither can be made active, and the active one stays.
      await expect(registry.activate('water-purifier', 'v2')).rejects.toThrow(
        `water-purifier v2 cannot be activated: ${file('v2')}: createdAt: Invalid input: expected string, received undefined`,
      );
      expect((await registry.active('water-purifier'))?.version).toBe('v3');
    } finally {
      registry.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
