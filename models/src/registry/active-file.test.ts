import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import { fleetModel } from './fleet-model-fixture.ts';
import { createModelRegistry, type ModelRegistry } from './model-registry.ts';

// Regression: a hand-edited or damaged active.json made `pnpm models list` fail as a whole, scoring
// failed with a multi-line zod dump or without naming the file, and activate could not replace it.
describe('a damaged active.json', () => {
  let dataDir: string;
  let registry: ModelRegistry;
  let activeFile: string;
  const damage = (text: string) => writeFile(activeFile, text);

  beforeAll(async () => {
    await initBackend('wasm', () => {});
  });
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'aftercare-registry-active-'));
    activeFile = path.join(dataDir, 'models', 'water-purifier', 'active.json');
    registry = createModelRegistry({ dataDir });
    // v1 then v2 active: v1 is the history rollback goes back to.
    await registry.save(fleetModel(1), { activate: true });
    await registry.save(fleetModel(2), { activate: true });
  });
  afterEach(async () => {
    registry.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('leaves every version in the inventory, none active, and says the file is not valid JSON', async () => {
    await damage('{"version": "v2", "previ');
    const { versions, activeFileProblems } = await registry.inventory('water-purifier');
    expect(versions.map((e) => [e.version, e.active, 'problem' in e])).toEqual([
      ['v1', false, false],
      ['v2', false, false],
    ]);
    expect(activeFileProblems).toEqual([
      { deviceModel: 'water-purifier', problem: `${activeFile}: not valid JSON` },
    ]);
    expect((await registry.list('water-purifier')).map((e) => e.version)).toEqual(['v1', 'v2']);
  });

  it.each([
    [
      'of the wrong shape',
      JSON.stringify({ version: 2, previous: [], activatedAt: '2026-01-01T00:00:00Z' }),
      'version: Invalid input: expected string, received number',
    ],
    [
      'naming a version that does not exist',
      JSON.stringify({ version: 'v7', previous: ['v1'], activatedAt: '2026-01-01T00:00:00Z' }),
      'names version v7, which does not exist',
    ],
  ])(
    'blames an active.json %s on one line naming the file, when listing and when loading',
    async (_, text, problem) => {
      await damage(text);
      const message = `${activeFile}: ${problem}`;
      expect((await registry.inventory('water-purifier')).activeFileProblems).toEqual([
        { deviceModel: 'water-purifier', problem: message },
      ]);
      await expect(registry.active('water-purifier')).rejects.toMatchObject({
        code: 'MODELS_BAD_ACTIVE_FILE',
        message,
      });
    },
  );

  it('is replaced by activate with a valid one, and scoring loads the version it names', async () => {
    await damage('');
    await registry.activate('water-purifier', 'v1');
    expect((await registry.active('water-purifier'))?.version).toBe('v1');
    expect(JSON.parse(await readFile(activeFile, 'utf8'))).toMatchObject({ version: 'v1', previous: [] });
    expect((await registry.inventory('water-purifier')).activeFileProblems).toEqual([]);
  });

  it('keeps the history it still has: activate and rollback drop only a version that does not exist', async () => {
    await damage(JSON.stringify({ version: 'v7', previous: ['v1'], activatedAt: '2026-01-01T00:00:00Z' }));
    expect(await registry.rollback('water-purifier')).toBe('v1');
    expect((await registry.active('water-purifier'))?.version).toBe('v1');
    await damage(JSON.stringify({ version: 'v7', previous: ['v1'], activatedAt: '2026-01-01T00:00:00Z' }));
    await registry.activate('water-purifier', 'v2');
    expect(JSON.parse(await readFile(activeFile, 'utf8'))).toMatchObject({ version: 'v2', previous: ['v1'] });
  });

  it('cannot be rolled back without a readable history: rollback says what is wrong and to activate instead', async () => {
    await damage('{"version": "v2", "previ');
    await expect(registry.rollback('water-purifier')).rejects.toMatchObject({
      code: 'MODELS_NO_PREVIOUS_VERSION',
      message: `water-purifier has no previously active model version to roll back to: ${activeFile}: not valid JSON (activate a version to replace it)`,
    });
  });
});
