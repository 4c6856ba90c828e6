import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import type { EpochProgress } from '../training/progress.ts';
import { BASELINE_RUL_CONFIG, type RulConfig } from './config.ts';
import {
  disposeEnsemble,
  loadRulEnsemble,
  predictUnitsRul,
  saveRulEnsemble,
  trainRulEnsemble,
} from './ensemble.ts';
import type { CmapssUnit } from './loader.ts';

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
