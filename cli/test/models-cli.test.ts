import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModels } from './models-cli-run.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const CMAPSS_DIR = path.resolve(repo, '../shared/datasets/cmapss');

const cli = (...argv: string[]) => runModels(argv);

/** Runs the CLI as `pnpm models` does: its own process through tsx. */
function spawnCli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repo, 'cli/src/models-cli/main.ts'), ...argv],
      {
        cwd: repo,
        env: { ...process.env, AFTERCARE_LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b));
    child.stderr.on('data', (b: Buffer) => (stderr += b));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const oneLine = (text: string) => text.trim().split('\n');

describe('pnpm models: help and usage', () => {
  it('--help lists every command and exits 0; no command prints it on stderr and exits 2', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const c of ['benchmark cmapss', 'train cmapss', 'evaluate cmapss', 'validate cmapss']) {
      expect(help.stdout).toContain(c);
    }
    const none = await cli();
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: pnpm models');
  });

  it('validate cmapss --help says --dir holds the training file, the only one it reads', async () => {
    const { stdout } = await cli('validate', 'cmapss', '--help');
    const dir = stdout.split('\n').find((l) => l.startsWith('  --dir'));
    expect(dir).toMatch(/folder holding train_<subset>\.txt \(required\)$/);
    expect(dir).not.toContain('test_');
  });

  it('a long option description continues under its first line, not at the margin', async () => {
    const lines = (await cli('validate', 'cmapss', '--help')).stdout.split('\n');
    const cuts = lines.findIndex((l) => l.startsWith('  --cuts'));
    const column = lines[cuts]!.indexOf('where held-out units are cut');
    expect(lines[cuts + 1]).toBe(
      `${' '.repeat(column)}default: as the configuration's members early-stop (validationCuts)`,
    );
  });

  it('list --help calls its --json output an array, which it prints', async () => {
    expect((await cli('list', '--help')).stdout).toMatch(
      /--json\s+print one JSON array on stdout, an object per version\n/,
    );
  });

  it.each([
    ['benchmark', ['--dir', '--subset', '--epochs', '--members', '--units', '--json', '--out']],
    ['train', ['--dir', '--out', '--members', '--json']],
    ['evaluate', ['--dir', '--model', '--json']],
    ['validate', ['--dir', '--variant', '--holdout', '--folds', '--json']],
  ])('%s cmapss --help describes its flags', async (command, flags) => {
    const { code, stdout } = await cli(command, 'cmapss', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: pnpm models ${command} cmapss`);
    for (const flag of flags) expect(stdout).toContain(flag);
  });
});

describe('pnpm models: bad input exits non-zero with one line naming the problem', () => {
  it.each([
    [
      ['benchmark', 'cmapss', '--dir', CMAPSS_DIR, '--epochs', 'zero'],
      /^models: --epochs: must be a number \(got "zero"\)$/,
    ],
    [
      ['benchmark', 'cmapss', '--dir', CMAPSS_DIR, '--members', '0'],
      /^models: --members: must be at least 1 \(got "0"\)$/,
    ],
    [['benchmark', 'cmapss', '--dir', CMAPSS_DIR, '--subset', 'FD1'], /--subset: must name a C-MAPSS subset/],
    [['benchmark', 'cmapss', '--dir', CMAPSS_DIR, '--variant', 'best'], /--variant: must be one of baseline/],
    [['benchmark', 'cmapss', '--dir', CMAPSS_DIR, '--bogus'], /--bogus/],
    [['benchmark', 'cmapss', '--dir'], /^models: --dir: is missing its value$/],
    // The parser says "is required; " itself: the flag's own words say what it names, once.
    [
      ['benchmark', 'cmapss'],
      /^models: --dir: is required; the folder holding train_\/test_\/RUL_<subset>\.txt$/,
    ],
    [['validate', 'cmapss'], /^models: --dir: is required; the folder holding train_<subset>\.txt$/],
    [
      ['evaluate', 'cmapss', '--dir', CMAPSS_DIR],
      /^models: --model: is required; the folder of a saved ensemble$/,
    ],
    [
      ['train', 'cmapss', '--dir', CMAPSS_DIR],
      /^models: --out: is required; the folder to save the ensemble in$/,
    ],
    [
      ['benchmark', 'cmapss', '--dir', '/nonexistent-cmapss'],
      /\/nonexistent-cmapss\/train_FD001\.txt not found/,
    ],
    [
      ['validate', 'cmapss', '--dir', CMAPSS_DIR, '--holdout', '0.2', '--folds', '5'],
      /^models: --folds: give either --holdout \(one held-out share\) or --folds \(cross-validation\), not both \(got "5"\)$/,
    ],
    [['validate', 'cmapss', '--dir', CMAPSS_DIR, '--folds', '1'], /^models: --folds: must be at least 2/],
    [
      ['validate', 'cmapss', '--dir', CMAPSS_DIR, '--units', '4', '--folds', '5', '--backend', 'wasm'],
      /^models: --folds 5 is more than the 4 training units loaded$/,
    ],
    [['frobnicate'], /^models: unknown command "frobnicate"/],
    [['benchmark', 'fleet-of-ships'], /unknown command "benchmark fleet-of-ships" \(targets: cmapss/],
  ])('%j', async (argv, message) => {
    const { code, stdout, stderr } = await cli(...argv);
    expect(code).toBeGreaterThan(0);
    expect(stdout).toBe('');
    expect(oneLine(stderr)).toHaveLength(1);
    expect(stderr.trim()).toMatch(message);
  });

  it('names the missing file when the folder holds only part of the triple', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'aftercare-cmapss-partial-'));
    try {
      await writeFile(path.join(dir, 'train_FD001.txt'), '');
      const { code, stderr } = await cli('benchmark', 'cmapss', '--dir', dir);
      expect(code).toBe(2);
      expect(oneLine(stderr)).toEqual([
        `models: --dir: ${path.join(dir, 'test_FD001.txt')} not found (expected train_/test_/RUL_FD001.txt in ${dir})`,
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a bad flag fails the real process with a non-zero exit code and one line', async () => {
    const { code, stdout, stderr } = await spawnCli([
      'benchmark',
      'cmapss',
      '--dir',
      CMAPSS_DIR,
      '--epochs',
      '-3',
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(oneLine(stderr)).toEqual(['models: --epochs: must be at least 1 (got "-3")']);
  });
});

describe('pnpm models benchmark / train / evaluate cmapss on a small slice', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'aftercare-models-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('benchmark --json prints exactly one JSON object with the figures and the backend', async () => {
    const { code, stdout, stderr } = await spawnCli([
      'benchmark',
      'cmapss',
      '--dir',
      CMAPSS_DIR,
      '--units',
      '5',
      '--epochs',
      '1',
      '--members',
      '1',
      '--json',
    ]);
    expect(stderr).not.toMatch(/error/i);
    expect(code).toBe(0);
    expect(oneLine(stdout)).toHaveLength(1);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ subset: 'FD001', members: 1, epochs: [1], trainUnits: 5, testUnits: 100 });
    expect(['node', 'wasm', 'cpu']).toContain(result.backend);
    for (const key of ['rmse', 'score', 'trainSeconds', 'validationRmse']) {
      expect(typeof result[key]).toBe('number');
      expect(result[key]).toBeGreaterThan(0);
    }
  });

  it('an ensemble saved by benchmark --out scores the same when evaluate loads it', async () => {
    const out = path.join(dir, 'fd001');
    const bench = await cli(
      'benchmark',
      'cmapss',
      '--dir',
      CMAPSS_DIR,
      '--units',
      '4',
      '--epochs',
      '1',
      '--members',
      '2',
      '--out',
      out,
      '--json',
      '--backend',
      'wasm',
    );
    expect(bench.code).toBe(0);
    const trained = JSON.parse(bench.stdout);
    expect(trained.model).toBe(out);
    const evaluated = await cli(
      'evaluate',
      'cmapss',
      '--dir',
      CMAPSS_DIR,
      '--model',
      out,
      '--json',
      '--backend',
      'wasm',
    );
    expect(evaluated.code).toBe(0);
    const figures = JSON.parse(evaluated.stdout);
    expect(figures).toMatchObject({
      subset: 'FD001',
      members: 2,
      backend: 'wasm',
      rmse: trained.rmse,
      score: trained.score,
    });
  });

  it('train saves an ensemble that evaluate reads; the human-readable output names the backend beside the figures', async () => {
    const out = path.join(dir, 'trained');
    const train = await cli(
      'train',
      'cmapss',
      '--dir',
      CMAPSS_DIR,
      '--out',
      out,
      '--units',
      '4',
      '--epochs',
      '1',
      '--members',
      '1',
      '--backend',
      'wasm',
    );
    expect(train.code).toBe(0);
    expect(train.stdout).toContain(`saved to ${out}`);
    const evaluated = await cli(
      'evaluate',
      'cmapss',
      '--dir',
      CMAPSS_DIR,
      '--model',
      out,
      '--backend',
      'wasm',
    );
    expect(evaluated.code).toBe(0);
    expect(evaluated.stdout).toMatch(/RMSE\s+\d+\.\d\d \(wasm\)/);
    expect(evaluated.stdout).toMatch(/PHM08 score\s+\d+\.\d \(wasm\)/);
    expect(evaluated.stdout).toContain('Li et al. 2018');
  });

  it('evaluate names a model folder that does not exist', async () => {
    const missing = path.join(dir, 'nothing-here');
    const { code, stderr } = await cli(
      'evaluate',
      'cmapss',
      '--dir',
      CMAPSS_DIR,
      '--model',
      missing,
      '--backend',
      'wasm',
    );
    expect(code).toBeGreaterThan(0);
    expect(oneLine(stderr)).toHaveLength(1);
    expect(stderr).toContain(path.join(missing, 'ensemble.json'));
  });

  /** `validate cmapss` on 6 training units, one member trained for one epoch. */
  const validateSix = (...more: string[]) =>
    cli(
      'validate',
      'cmapss',
      '--dir',
      CMAPSS_DIR,
      '--units',
      '6',
      '--epochs',
      '1',
      '--members',
      '1',
      '--json',
      '--backend',
      'wasm',
      ...more,
    );

  it('validate reads the training file only and reports held-out figures', async () => {
    const { code, stdout } = await validateSix();
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.holdoutUnits).toHaveLength(1);
    expect(report.trainUnits).toBe(5);
    // Scored as the test set is: the held-out unit cut at 10 seeded points, one prediction each.
    expect(report.cuts).toBe(10);
    expect(report.rmseCapped).toBeGreaterThan(0);
    expect(report.rmseAllWindows).toBeGreaterThan(0);
  });

  it('validate --folds holds every training unit out once and reports each fold beside the pooled figure', async () => {
    const { code, stdout } = await validateSix('--folds', '3');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.folds).toBe(3);
    expect(report.foldUnits.flat().sort((a: number, b: number) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(report.foldRmseCapped).toHaveLength(3);
    expect(report.cuts).toBe(60);
    expect(report.epochs).toEqual([[1], [1], [1]]);
    expect(report.rmseCapped).toBeGreaterThan(0);
  });
});
