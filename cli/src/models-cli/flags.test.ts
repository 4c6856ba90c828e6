import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runModels } from '../../test/models-cli-run.ts';

/** A --dir that holds nothing: a run whose flags parse goes on to fail naming it, before any training. */
const nowhere = path.join('/nonexistent-cmapss', 'for-flag-tests');
const noFiles = `models: --dir: ${path.join(nowhere, 'train_FD001.txt')} not found (expected train_/test_/RUL_FD001.txt in ${nowhere})`;

async function refusal(...argv: string[]): Promise<string> {
  const run = await runModels(argv);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

const benchmark = (...flags: string[]) => refusal('benchmark', 'cmapss', '--dir', nowhere, ...flags);

describe('pnpm models: number flags', () => {
  // Regression: z.coerce read `--epochs 0x2` as 2, `--units 1e1` as 10, ' 5' as 5 and '' as 0.
  it.each([
    ['--epochs', '0x2'],
    ['--units', '1e1'],
    ['--members', ' 2'],
    ['--batch-size', '+64'],
    ['--window', '30.0'],
    ['--patience', '2.5'],
  ])('%s %j is refused: it must be a whole number', async (flag, typed) => {
    expect(await benchmark(flag, typed)).toBe(`models: ${flag}: must be a whole number (got "${typed}")`);
  });

  it.each([
    ['--learning-rate', '1e-3'],
    ['--learning-rate', ' 0.001'],
    ['--learning-rate', '0x1'],
    ['--learning-rate', '1.'],
  ])('%s %j is refused: it must be a decimal number', async (flag, typed) => {
    expect(await benchmark(flag, typed)).toBe(`models: ${flag}: must be a decimal number (got "${typed}")`);
  });

  it.each([
    ['--seed', ''],
    ['--seed', ' '],
    ['--epochs', 'two'],
    ['--learning-rate', 'Infinity'],
  ])('%s %j is refused: it must be a number', async (flag, typed) => {
    expect(await benchmark(flag, typed)).toBe(`models: ${flag}: must be a number (got "${typed}")`);
  });

  it('refuses a bad number of the other commands alike', async () => {
    expect(await refusal('validate', 'cmapss', '--dir', nowhere, '--holdout', '2e-1')).toBe(
      'models: --holdout: must be a decimal number (got "2e-1")',
    );
    const fleet = ['evaluate', 'fleet', '--data-dir', nowhere, '--backend', 'wasm'];
    expect(await refusal(...fleet, '--devices', '0x10')).toBe(
      'models: --devices: must be a whole number (got "0x10")',
    );
  });

  it('takes numbers written as a person types them, with the bound refusing a minus it cannot take', async () => {
    expect(
      await benchmark(
        ...['--epochs', '2', '--members', '003', '--learning-rate', '.002', '--units', '10'],
        ...['--seed', '0', '--window', '40', '--batch-size', '512', '--patience', '4'],
      ),
    ).toBe(noFiles);
    expect(await benchmark('--learning-rate', '0.0005')).toBe(noFiles);
    expect(await benchmark('--seed', '-1')).toBe('models: --seed: must be at least 0 (got "-1")');
  });
});
