import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import { fleetModel } from './fleet-model-fixture.ts';
import { createModelRegistry, type ModelRegistry } from './model-registry.ts';

// Regression: activate checked metadata.json only, so a version without its weights became active
// and scoring failed at its next run.
describe('activating a version whose model files are missing or damaged', () => {
  let dataDir: string;
  let registry: ModelRegistry;
  const fileOf = (version: string, name: string) =>
    path.join(dataDir, 'models', 'water-purifier', version, name);

  beforeAll(async () => {
    await initBackend('wasm', () => {});
  });
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'aftercare-registry-files-'));
    registry = createModelRegistry({ dataDir });
    await registry.save(fleetModel(1), { activate: true });
    await registry.save(fleetModel(2));
  });
  afterEach(async () => {
    registry.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function expectRefused(reason: string) {
    await expect(registry.activate('water-purifier', 'v2')).rejects.toMatchObject({
      code: 'MODELS_BAD_MODEL_FILES',
      message: `water-purifier v2 cannot be activated: ${reason}`,
    });
    expect((await registry.active('water-purifier'))?.version).toBe('v1');
  }

  it('refuses a version whose weights file is missing, naming the file', async () => {
    await rm(fileOf('v2', 'weights.bin'));
    await expectRefused(`${fileOf('v2', 'weights.bin')} is missing`);
  });

  it('refuses a version whose weights file is cut short, with the bytes there and the bytes expected', async () => {
    const bytes = (await readFile(fileOf('v2', 'weights.bin'))).byteLength;
    await truncate(fileOf('v2', 'weights.bin'), 100);
    await expectRefused(
      `${fileOf('v2', 'weights.bin')}: 100 bytes of weights where model.json describes ${bytes.toLocaleString('en')}`,
    );
  });

  it('refuses a version whose model.json is missing or not valid JSON', async () => {
    const text = await readFile(fileOf('v2', 'model.json'), 'utf8');
    await writeFile(fileOf('v2', 'model.json'), text.slice(0, text.length / 2));
    await expectRefused(`${fileOf('v2', 'model.json')}: not valid JSON`);
    await rm(fileOf('v2', 'model.json'));
    await expectRefused(`${fileOf('v2', 'model.json')} is missing`);
  });

  it('refuses a version whose model.json lists a weights file that is not there', async () => {
    const modelJson = JSON.parse(await readFile(fileOf('v2', 'model.json'), 'utf8'));
    modelJson.weightsManifest[0].paths.push('./weights-2.bin');
    await writeFile(fileOf('v2', 'model.json'), JSON.stringify(modelJson));
    await expectRefused(`${fileOf('v2', 'weights-2.bin')} is missing`);
  });

  it('refuses to roll back to a version whose weights are gone, and the active one stays', async () => {
    await registry.activate('water-purifier', 'v2');
    await rm(fileOf('v1', 'weights.bin'));
    await expect(registry.rollback('water-purifier')).rejects.toMatchObject({
      code: 'MODELS_BAD_MODEL_FILES',
      message: `water-purifier v1 cannot be rolled back to: ${fileOf('v1', 'weights.bin')} is missing`,
    });
    expect((await registry.active('water-purifier'))?.version).toBe('v2');
  });
});
