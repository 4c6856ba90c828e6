import { cp, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import { SavedModelError } from '../model-io.ts';
import type { EpochProgress } from '../training/progress.ts';
import { BASELINE_RUL_CONFIG, type RulConfig } from './config.ts';
import {
  disposeEnsemble,
  loadRulEnsemble,
  predictUnitsRul,
  saveRulEnsemble,
  trainRulEnsemble,
} from './ensemble.ts';
import { type CmapssUnit, loadCmapssTrain } from './loader.ts';
import { tinyRulConfig } from './test-config.ts';

/** A unit whose sensors drift linearly towards failure, with a little deterministic wobble. */
function degradingUnit(unit: number, cycles: number): CmapssUnit {
  return {
    unit,
    rows: Array.from({ length: cycles }, (_, i) => ({
      unit,
      cycle: i + 1,
      settings: [0, 0, 100] as [number, number, number],
      sensors: Array.from(
        { length: 21 },
        (_, j) => 100 + j + (i / cycles) * (j % 3) + 0.01 * Math.sin(i * (j + 1)),
      ),
    })),
  };
}

const units = Array.from({ length: 8 }, (_, i) => degradingUnit(i + 1, 40 + 5 * i));
const tiny: RulConfig = {
  ...BASELINE_RUL_CONFIG,
  windowLength: 10,
  minCycles: 8,
  architecture: { kind: 'gru', units: 4, dense: 4, dropout: 0.1 },
  members: 2,
  validationFraction: 0.25,
  epochs: 2,
  patience: 2,
  batchSize: 64,
  tail: 3,
  seed: 11,
};

describe('RUL ensemble', () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend('wasm', () => {});
    dir = await mkdtemp(path.join(tmpdir(), 'aftercare-ensemble-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('trains each member on its own split of the units, reporting progress per member', async () => {
    const seen: EpochProgress[] = [];
    const { ensemble } = await trainRulEnsemble(units, tiny, { onEpoch: (p) => seen.push(p) });
    try {
      expect(ensemble.members).toHaveLength(2);
      expect(new Set(seen.map((p) => `${p.member}/${p.members}`))).toEqual(new Set(['1/2', '2/2']));
      for (const m of ensemble.memberInfo) {
        expect(m.validationUnits).toHaveLength(2);
        expect([...m.trainUnits, ...m.validationUnits].sort((a, b) => a - b)).toEqual([
          1, 2, 3, 4, 5, 6, 7, 8,
        ]);
        expect(Number.isFinite(m.validationRmse)).toBe(true);
      }
      expect(ensemble.memberInfo[0]!.validationUnits).not.toEqual(ensemble.memberInfo[1]!.validationUnits);
    } finally {
      disposeEnsemble(ensemble);
    }
  });

  it('saved and loaded, gives the same predictions and keeps its configuration and normalisation', async () => {
    const { ensemble } = await trainRulEnsemble(units, tiny);
    const before = predictUnitsRul(ensemble, units);
    await saveRulEnsemble(ensemble, dir, {
      dataset: 'synthetic',
      backend: 'wasm',
      metrics: { validationRmse: 1.5 },
    });
    disposeEnsemble(ensemble);
    expect((await readdir(dir)).sort()).toEqual(['ensemble.json', 'member-1', 'member-2']);
    expect((await readdir(path.join(dir, 'member-1'))).sort()).toEqual([
      'metadata.json',
      'model.json',
      'weights.bin',
    ]);
    const loaded = await loadRulEnsemble(dir);
    try {
      expect(loaded.ensemble.config).toEqual(tiny);
      expect(loaded.ensemble.stats).toEqual(ensemble.stats);
      expect(loaded.saved).toMatchObject({
        dataset: 'synthetic',
        backend: 'wasm',
        metrics: { validationRmse: 1.5 },
      });
      expect(loaded.ensemble.memberInfo.map((m) => m.seed)).toEqual(ensemble.memberInfo.map((m) => m.seed));
      const after = predictUnitsRul(loaded.ensemble, units);
      expect(Array.from(after)).toEqual(Array.from(before));
    } finally {
      disposeEnsemble(loaded.ensemble);
    }
  });

  it('refuses an ensemble.json that is not one, naming the file and the field', async () => {
    const file = path.join(dir, 'ensemble.json');
    const saved = JSON.parse(await readFile(file, 'utf8'));
    const { writeFile } = await import('node:fs/promises');
    await writeFile(file, JSON.stringify({ ...saved, config: { ...saved.config, members: 0 } }));
    await expect(loadRulEnsemble(dir)).rejects.toThrow(/ensemble\.json: config\.members/);
  });
});

const CMAPSS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/datasets/cmapss',
);

describe('a saved ensemble that does not load', () => {
  let dir: string;
  let saved: string;
  beforeAll(async () => {
    await initBackend('wasm', () => {});
    dir = await mkdtemp(path.join(tmpdir(), 'aftercare-ensemble-broken-'));
    saved = path.join(dir, 'saved');
    // Three members trained on the first real FD001 units: two load before the third fails.
    const units = (await loadCmapssTrain(CMAPSS_DIR, 'FD001')).slice(0, 5);
    const { ensemble } = await trainRulEnsemble(units, tinyRulConfig({ members: 3, epochs: 1 }));
    await saveRulEnsemble(ensemble, saved, { dataset: 'C-MAPSS train_FD001', backend: 'wasm', metrics: {} });
    disposeEnsemble(ensemble);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A copy of the saved ensemble, for `spoil` to break. */
  async function copy(name: string, spoil: (copy: string) => Promise<void>): Promise<string> {
    const target = path.join(dir, name);
    await cp(saved, target, { recursive: true });
    await spoil(target);
    return target;
  }

  // Regression: the members loaded before the one that failed were never disposed.
  it("frees the members it loaded when the last one's weights.bin is cut short", async () => {
    const broken = await copy('short-weights', async (d) => {
      const weights = path.join(d, 'member-3', 'weights.bin');
      await truncate(weights, (await readFile(weights)).byteLength - 8);
    });
    const before = tf.memory().numTensors;
    await expect(loadRulEnsemble(broken)).rejects.toThrow(
      expect.objectContaining({ file: path.join(broken, 'member-3', 'weights.bin') }),
    );
    expect(tf.memory().numTensors).toBe(before);
    // The same folder before the cut loads, and frees what it loaded when disposed.
    const { ensemble } = await loadRulEnsemble(saved);
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    disposeEnsemble(ensemble);
    expect(tf.memory().numTensors).toBe(before);
  });

  // Regression: a member's metadata.json was taken as it came (a cast), and read as undefined fields.
  it("names the member's metadata.json and the field when it was hand-edited, and frees the others", async () => {
    const broken = await copy('edited-metadata', async (d) => {
      const file = path.join(d, 'member-3', 'metadata.json');
      const metadata = JSON.parse(await readFile(file, 'utf8'));
      await writeFile(file, JSON.stringify({ ...metadata, metrics: { ...metadata.metrics, seed: 'seven' } }));
    });
    const before = tf.memory().numTensors;
    const failure = await loadRulEnsemble(broken).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(SavedModelError);
    expect((failure as SavedModelError).message).toBe(
      `${path.join(broken, 'member-3', 'metadata.json')}: metrics.seed: Invalid input: expected number, received string`,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it("names a member's metadata.json that was cut short as not valid JSON", async () => {
    const broken = await copy('short-metadata', async (d) => {
      const file = path.join(d, 'member-2', 'metadata.json');
      await truncate(file, Math.floor((await readFile(file)).byteLength / 2));
    });
    const before = tf.memory().numTensors;
    await expect(loadRulEnsemble(broken)).rejects.toThrow(
      `${path.join(broken, 'member-2', 'metadata.json')}: not valid JSON`,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('trainRulEnsemble on units too short for a window', () => {
  // Regression: an empty batch failed inside TensorFlow.js, naming a tensor shape.
  it('says which member and which units gave no window, before building a network', async () => {
    await initBackend('wasm', () => {});
    const units = (await loadCmapssTrain(CMAPSS_DIR, 'FD001'))
      .slice(0, 5)
      .map((u) => ({ ...u, rows: u.rows.slice(0, 7) }));
    const before = tf.memory().numTensors;
    await expect(trainRulEnsemble(units, tinyRulConfig())).rejects.toThrow(
      'ensemble member 1: its 4 training units give no window (the first ends at cycle 8)',
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
