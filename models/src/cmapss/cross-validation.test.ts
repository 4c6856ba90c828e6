import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import { crossValidateRulConfig, type FoldFigures, foldsOf, unitCuts } from './cross-validation.ts';
import { type CmapssUnit, loadCmapssTrain } from './loader.ts';
import { tinyRulConfig } from './test-config.ts';

const CMAPSS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/datasets/cmapss',
);

describe('five folds over the 100 FD001 training units', () => {
  let train: CmapssUnit[];
  beforeAll(async () => {
    train = await loadCmapssTrain(CMAPSS_DIR, 'FD001');
  });

  it('holds every unit out exactly once, 20 to a fold, the same folds from the same seed', () => {
    const folds = foldsOf(train, 5, 7);
    expect(folds.map((f) => f.length)).toEqual([20, 20, 20, 20, 20]);
    const ids = folds.flat().map((u) => u.unit);
    expect(new Set(ids).size).toBe(100);
    expect(foldsOf(train, 5, 7).map((f) => f.map((u) => u.unit))).toEqual(
      folds.map((f) => f.map((u) => u.unit)),
    );
    expect(foldsOf(train, 5, 8)[0]!.map((u) => u.unit)).not.toEqual(folds[0]!.map((u) => u.unit));
    expect(foldsOf(train.slice(0, 7), 3, 1).map((f) => f.length)).toEqual([3, 2, 2]);
    expect(() => foldsOf(train, 1, 7)).toThrow(/folds must be/);
  });

  it('asks each unit the same questions whichever fold it falls in', () => {
    const [a, b] = foldsOf(train, 5, 7);
    const unit = a![3]!;
    const alone = unitCuts([unit], 'rul', 10, 30, 11);
    const inFold = unitCuts(a!, 'rul', 10, 30, 11).filter((c) => c.unit === 3);
    const elsewhere = unitCuts([b![0]!, unit], 'rul', 10, 30, 11).filter((c) => c.unit === 1);
    expect(alone).toHaveLength(10);
    const asked = (cuts: typeof alone) => cuts.map(({ cycles, rul }) => ({ cycles, rul }));
    expect(asked(inFold)).toEqual(asked(alone));
    expect(asked(elsewhere)).toEqual(asked(alone));
    // Cut by the RUL left (5..150), keeping at least 30 cycles.
    for (const cut of alone) {
      expect(cut.rul).toBeGreaterThanOrEqual(5);
      expect(cut.rul).toBeLessThanOrEqual(150);
      expect(cut.cycles + cut.rul).toBe(unit.rows.length);
    }
  });
});

describe('crossValidateRulConfig', () => {
  beforeAll(async () => {
    await initBackend('wasm', () => {});
  });

  it('scores every unit out of fold, with the figures of each fold and member beside the pooled one', async () => {
    const units = (await loadCmapssTrain(CMAPSS_DIR, 'FD001')).slice(0, 9);
    const config = tinyRulConfig({ batchSize: 256 });
    const started: number[] = [];
    const scored: FoldFigures[] = [];
    const report = await crossValidateRulConfig(units, config, {
      folds: 3,
      seed: 5,
      truncations: 4,
      minCycles: 8,
      cuts: 'rul',
      onFold: (k) => started.push(k),
      onFoldScored: (f) => scored.push(f),
    });
    expect(started).toEqual([1, 2, 3]);
    // Each fold reports as it ends, the figures the whole report then gathers.
    expect(scored.map((f) => f.fold)).toEqual([1, 2, 3]);
    expect(scored.map((f) => f.rmseCapped)).toEqual(report.foldRmseCapped);
    expect(scored.map((f) => f.units)).toEqual(report.foldUnits);
    expect(scored.map((f) => f.cuts).reduce((a, b) => a + b, 0)).toBe(report.cuts);
    expect(report).toMatchObject({ folds: 3, units: 9, cuts: 36, cutProtocol: 'rul' });
    expect(report.foldUnits.flat().sort((a, b) => a - b)).toEqual(units.map((u) => u.unit));
    expect(report.foldRmseCapped).toHaveLength(3);
    expect(report.memberRmseCapped).toHaveLength(2);
    expect(report.epochs).toEqual([
      [2, 2],
      [2, 2],
      [2, 2],
    ]);
    // The pooled figure lies between the best and the worst fold's.
    expect(report.rmseCapped).toBeGreaterThanOrEqual(Math.min(...report.foldRmseCapped) - 1e-9);
    expect(report.rmseCapped).toBeLessThanOrEqual(Math.max(...report.foldRmseCapped) + 1e-9);
    for (const v of [report.rmseTrue, report.rmseLateCuts, report.scorePer100]) expect(v).toBeGreaterThan(0);
  });
});
