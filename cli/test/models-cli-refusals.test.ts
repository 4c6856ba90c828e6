import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ModelsRun, runModels } from './models-cli-run.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const CMAPSS_DIR = path.resolve(here, '../../../shared/datasets/cmapss');

const cli = (...argv: string[]) => runModels(argv, { logs: true });

type Run = ModelsRun;

/** The run failed with exactly this line on stderr: no log line (nothing started), nothing on stdout. */
function expectRefused(run: Run, line: string) {
  expect(run.stderr.trim().split('\n')).toEqual([line]);
  expect(run.stdout).toBe('');
  expect(run.code).toBe(2);
}

/**
 * The run failed with this one line for a person; the log may say what it did before (the backend it
 * started), at info level, but holds no warning, no error and no stack.
 */
function expectOneLineAfterLogs(run: Run, line: string) {
  const lines = run.stderr.trim().split('\n');
  const logs = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: number });
  expect(lines.filter((l) => !l.startsWith('{'))).toEqual([line]);
  expect(logs.filter((l) => l.level >= 40)).toEqual([]);
  expect(run.stderr).not.toContain('stack');
  expect(run.stdout).toBe('');
  expect(run.code).toBe(2);
}

const tiny = ['--members', '1', '--epochs', '1', '--backend', 'wasm'];

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'aftercare-models-refusals-'));
  await writeFile(path.join(tmp, 'a-file'), 'not a folder\n');
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('validate cmapss refuses, before training, fewer units than a held-out and a training set need', () => {
  // Each ensemble member early-stops on units it does not fit, so it needs 2; the outer split
  // holds out at least one more (or a whole fold).
  it.each([
    [
      ['--units', '2', '--holdout', '0.05'],
      'models: --units: 2 is too few with --holdout 0.05: 1 held out leaves 1 to train on, and an ensemble member needs 2 (it early-stops on units it does not fit); give --units 3 or more',
    ],
    [
      ['--units', '2'],
      'models: --units: 2 is too few with --holdout 0.2 (the default): 1 held out leaves 1 to train on, and an ensemble member needs 2 (it early-stops on units it does not fit); give --units 3 or more',
    ],
    [
      ['--units', '3', '--holdout', '0.5'],
      'models: --units: 3 is too few with --holdout 0.5: 2 held out leaves 1 to train on, and an ensemble member needs 2 (it early-stops on units it does not fit); give --units 4 or more',
    ],
    [
      ['--units', '2', '--folds', '2'],
      'models: --units: 2 is too few with --folds 2: a fold leaves 1 to train on, and an ensemble member needs 2 (it early-stops on units it does not fit); give --units 4 or more',
    ],
    [
      ['--units', '3', '--folds', '2'],
      'models: --units: 3 is too few with --folds 2: a fold leaves 1 to train on, and an ensemble member needs 2 (it early-stops on units it does not fit); give --units 4 or more',
    ],
  ])('%j', async (units, line) => {
    expectRefused(await cli('validate', 'cmapss', '--dir', CMAPSS_DIR, ...units, ...tiny), line);
  });

  const fewest = async (...units: string[]) => {
    const run = await cli('validate', 'cmapss', '--dir', CMAPSS_DIR, ...units, ...tiny, '--json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.rmseCapped).toBeGreaterThan(0);
    return report;
  };

  it('the fewest it accepts with a holdout are enough to train and score', async () => {
    expect((await fewest('--units', '3', '--holdout', '0.05')).holdoutUnits).toHaveLength(1);
  });

  it('the fewest it accepts with folds are enough to train and score', async () => {
    expect((await fewest('--units', '4', '--folds', '2')).folds).toBe(2);
  });
});

describe('evaluate cmapss names --model when the folder is not a saved ensemble', () => {
  let saved: string;
  beforeAll(async () => {
    saved = path.join(tmp, 'saved');
    const train = await cli(
      'train',
      'cmapss',
      '--dir',
      CMAPSS_DIR,
      '--out',
      saved,
      '--units',
      '2',
      ...tiny,
      '--json',
    );
    expect(train.code).toBe(0);
  });

  /** A copy of the saved ensemble with one file spoilt. */
  async function spoilt(name: string, file: string, content: string | Buffer): Promise<string> {
    const dir = path.join(tmp, name);
    await cp(saved, dir, { recursive: true });
    await writeFile(path.join(dir, file), content);
    return dir;
  }

  const evaluate = (model: string) =>
    cli('evaluate', 'cmapss', '--dir', CMAPSS_DIR, '--model', model, '--backend', 'wasm');

  it('an ensemble.json that is not JSON', async () => {
    const model = await spoilt('broken-json', 'ensemble.json', '{"kind" "aftercare"}\n');
    expectOneLineAfterLogs(
      await evaluate(model),
      `models: --model: ${model} is not a saved ensemble (ensemble.json: not valid JSON)`,
    );
  });

  it('a weights.bin that does not hold the weights model.json describes', async () => {
    const bytes = (await readFile(path.join(saved, 'member-1', 'weights.bin'))).byteLength;
    const model = await spoilt('corrupt-weights', 'member-1/weights.bin', Buffer.from([1, 2]));
    expectOneLineAfterLogs(
      await evaluate(model),
      `models: --model: ${model} is not a saved ensemble (member-1/weights.bin: 2 bytes of weights where model.json describes ${bytes.toLocaleString('en')})`,
    );
  });

  it('a regular file', async () => {
    const model = path.join(tmp, 'a-file');
    expectOneLineAfterLogs(
      await evaluate(model),
      `models: --model: ${model} is not a saved ensemble (a file, not a folder)`,
    );
  });

  it('a folder without ensemble.json', async () => {
    expectOneLineAfterLogs(
      await evaluate(tmp),
      `models: --model: ${tmp} is not a saved ensemble (no ensemble.json in it)`,
    );
  });
});

describe('output locations are checked before anything is trained', () => {
  // The info-level log would show the backend starting and members training; the one line is all.
  it('train cmapss --out a regular file', async () => {
    const out = path.join(tmp, 'a-file');
    expectRefused(
      await cli('train', 'cmapss', '--dir', CMAPSS_DIR, '--out', out, '--units', '4', ...tiny),
      `models: --out: ${out} is a file, not a folder`,
    );
  });

  it('train cmapss --out a folder under a regular file', async () => {
    const file = path.join(tmp, 'a-file');
    const out = path.join(file, 'ensemble');
    expectRefused(
      await cli('train', 'cmapss', '--dir', CMAPSS_DIR, '--out', out, '--units', '4', ...tiny),
      `models: --out: ${out} cannot be created: ${file} is a file`,
    );
  });

  it('benchmark cmapss --out a regular file', async () => {
    const out = path.join(tmp, 'a-file');
    expectRefused(
      await cli('benchmark', 'cmapss', '--dir', CMAPSS_DIR, '--out', out, '--units', '4', ...tiny),
      `models: --out: ${out} is a file, not a folder`,
    );
  });

  it('train fleet --data-dir a regular file', async () => {
    const dataDir = path.join(tmp, 'a-file');
    expectRefused(
      await cli('train', 'fleet', '--devices', '4', '--days', '30', '--epochs', '1', '--data-dir', dataDir),
      `models: --data-dir: ${dataDir} is a file, not a folder`,
    );
  });

  it('train fleet under AFTERCARE_DATA_DIR a regular file names the variable', async () => {
    const dataDir = path.join(tmp, 'a-file');
    expectRefused(
      await runModels(['train', 'fleet', '--devices', '4', '--days', '30', '--epochs', '1'], {
        logs: true,
        env: { AFTERCARE_DATA_DIR: dataDir },
      }),
      `models: AFTERCARE_DATA_DIR: ${dataDir} is a file, not a folder`,
    );
  });
});

describe('--subset that --dir does not hold', () => {
  it('names --subset and the subsets the folder holds', async () => {
    expectRefused(
      await cli('benchmark', 'cmapss', '--dir', CMAPSS_DIR, '--subset', 'FD999'),
      `models: --subset: FD999 has no train_FD999.txt in ${CMAPSS_DIR} (it holds FD001)`,
    );
  });

  it('still blames --dir when the folder holds no subset at all', async () => {
    expectRefused(
      await cli('validate', 'cmapss', '--dir', tmp, '--subset', 'FD002'),
      `models: --dir: ${path.join(tmp, 'train_FD002.txt')} not found (expected train_FD002.txt in ${tmp})`,
    );
  });
});
