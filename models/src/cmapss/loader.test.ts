import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCmapss, parseCmapssRows } from './loader.ts';

const CMAPSS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/datasets/cmapss',
);

describe('loadCmapss on the shared FD001 files', () => {
  it('reads 100 train units (20631 rows), 100 test units (13096 rows) and 100 RUL values', async () => {
    const data = await loadCmapss(CMAPSS_DIR, 'FD001');
    expect(data.train).toHaveLength(100);
    expect(data.train.reduce((n, u) => n + u.rows.length, 0)).toBe(20631);
    expect(data.test).toHaveLength(100);
    expect(data.test.reduce((n, u) => n + u.rows.length, 0)).toBe(13096);
    expect(data.testRul).toHaveLength(100);
    // SOURCE.md: train units run 128–362 cycles, test units 31–303, true RUL 7–145.
    const trainLengths = data.train.map((u) => u.rows.length);
    expect([Math.min(...trainLengths), Math.max(...trainLengths)]).toEqual([128, 362]);
    const testLengths = data.test.map((u) => u.rows.length);
    expect([Math.min(...testLengths), Math.max(...testLengths)]).toEqual([31, 303]);
    expect([Math.min(...data.testRul), Math.max(...data.testRul)]).toEqual([7, 145]);
  });

  it('keeps the first row of unit 1 as printed in train_FD001.txt', async () => {
    const data = await loadCmapss(CMAPSS_DIR, 'FD001');
    const first = data.train[0]!.rows[0]!;
    expect(first).toMatchObject({ unit: 1, cycle: 1, settings: [-0.0007, -0.0004, 100] });
    expect(first.sensors).toHaveLength(21);
    expect(first.sensors[0]).toBe(518.67);
    expect(first.sensors[20]).toBe(23.419);
  });

  it('rejects a subset name that is not FD00x and a file with missing columns', async () => {
    await expect(loadCmapss(CMAPSS_DIR, '../x')).rejects.toThrow(/FD001/);
    expect(() => parseCmapssRows('1 1 0 0 100 1 2 3\n', 'bad.txt')).toThrow(/bad.txt:1/);
  });
});
