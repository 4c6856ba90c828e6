import path from 'node:path';
import { BASELINE_RUL_CONFIG } from '@aftercare/models';
import { describe, expect, it } from 'vitest';
import { defaultCmapssDir, rulTrainingRows, trainingBenchRows } from '../src/bench/training.ts';

describe('pnpm bench: the training rows', () => {
  it('times epochs of both networks on the models backend and on cpu in the same run, and says what it measured', async () => {
    const phases: string[] = [];
    const rows = await trainingBenchRows({
      epochs: 1,
      cpuShare: 0.05,
      // A small network keeps the test to seconds; the bench itself times the chosen configuration.
      config: {
        ...BASELINE_RUL_CONFIG,
        architecture: { kind: 'gru', units: 8, dense: 8, dropout: 0.1 },
        batchSize: 1024,
      },
      fleet: { devices: 6, days: 45, hiddenUnits: [8] },
      progress: (m) => phases.push(m),
    });
    expect(rows).toHaveLength(2);
    const fleet = rows[0]!;
    expect(fleet.what).toMatch(/^fleet model training, seconds per epoch \((node|wasm)\)$/);
    expect(fleet.data).toMatch(
      /^simulated split-ac fleet, 6 devices × 45 days \(seed 1\): [\d,]+ rows × \d+ features, Dense\(8\)→\d+ failure modes × 2 heads, batch \d+/,
    );
    expect(fleet.figure).toMatch(/^\d+(\.\d+)? s\/epoch \((node|wasm)\)$/);
    expect(fleet.reference).toMatch(
      /^cpu backend: \d+(\.\d+)? s\/epoch on the same rows \(\d+\.\d× slower\)$/,
    );
    const row = rows[1]!;
    expect(row.what).toMatch(/^RUL model training, seconds per epoch \((node|wasm)\)$/);
    expect(row.data).toMatch(/^C-MAPSS FD001: 17,731 windows of 30×14, GRU\(8\)/);
    expect(row.figure).toMatch(/^\d+(\.\d+)? s\/epoch \((node|wasm)\)$/);
    expect(row.reference).toMatch(
      /^cpu backend: \d+(\.\d+)? s\/epoch on [\d,]+ windows \(5 units\), ≈ \d+(\.\d+)? s at 17,731 \(\d+\.\d× slower\)$/,
    );
    // Fleet rows built, fleet on the models backend, then cpu; the same for the RUL network.
    expect(phases).toHaveLength(5);
    expect(phases[2]).toContain('cpu');
    expect(phases[4]).toContain('cpu');
    // Four short trainings on two shared cores: more room than the default minute.
  }, 180_000);

  it('names the missing training file instead of a figure when C-MAPSS is not there', async () => {
    const rows = await rulTrainingRows({ dir: '/nonexistent-cmapss' });
    expect(rows[0]).toMatchObject({
      figure: 'not measured',
      data: `${path.join('/nonexistent-cmapss', 'train_FD001.txt')} not found`,
    });
    expect(defaultCmapssDir.endsWith(path.join('shared', 'datasets', 'cmapss'))).toBe(true);
  });
});
