import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModels } from '../../test/models-cli-run.ts';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const CMAPSS_DIR = path.resolve(repo, '../shared/datasets/cmapss');

/** The real FD001 rows whose unit (first column) and cycle (second) `keep` takes. */
async function realRows(file: string, keep: (unit: number, cycle: number) => boolean): Promise<string> {
  const lines = (await readFile(path.join(CMAPSS_DIR, file), 'latin1')).split('\n');
  const kept = lines.filter((line) => {
    const [unit, cycle] = line.trim().split(/\s+/).map(Number);
    return line.trim() !== '' && keep(unit!, cycle!);
  });
  return `${kept.join('\n')}\n`;
}

/** A folder of FD001 files cut down from the real ones: the training units `keep` takes, three test units. */
async function cutDown(keep: (unit: number, cycle: number) => boolean): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'aftercare-cmapss-cut-'));
  await writeFile(path.join(dir, 'train_FD001.txt'), await realRows('train_FD001.txt', keep));
  await writeFile(path.join(dir, 'test_FD001.txt'), await realRows('test_FD001.txt', (unit) => unit <= 3));
  const rul = (await readFile(path.join(CMAPSS_DIR, 'RUL_FD001.txt'), 'latin1')).trim().split('\n');
  await writeFile(path.join(dir, 'RUL_FD001.txt'), `${rul.slice(0, 3).join('\n')}\n`);
  return dir;
}

const quick = ['--members', '1', '--epochs', '1', '--backend', 'wasm'];

/** The flags a command needs beside --dir: train also saves, in the folder (were it to get that far). */
const flagsOf = (command: string, dir: string) =>
  command === 'train' ? ['--out', path.join(dir, 'ensemble'), ...quick] : quick;

/** The run failed before training with this one line: no stack, no TensorFlow, nothing on stdout. */
function expectRefused(run: { code: number; stdout: string; stderr: string }, line: string) {
  expect(run.stderr.trim().split('\n')).toEqual([line]);
  expect(run.stdout).toBe('');
  expect(run.code).toBe(2);
}

const folders: string[] = [];
afterAll(async () => {
  for (const dir of folders) await rm(dir, { recursive: true, force: true });
});

// Regression: a training file of one unit crashed inside TensorFlow.js ("expected gru_GRU1_input to
// have 3 dimension(s). but got array with shape 1,1,0,750") with a stack trace in the log.
describe('C-MAPSS commands on a training file of one unit', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await cutDown((unit) => unit === 1);
    folders.push(dir);
  });

  it.each(['benchmark', 'train'])(
    '%s cmapss names the file and the fewest units training needs',
    async (command) => {
      expectRefused(
        await runModels([command, 'cmapss', '--dir', dir, ...flagsOf(command, dir)]),
        `models: --dir: train_FD001.txt in ${dir} holds 1 unit; training needs at least 2 (each ensemble member early-stops on units it does not fit)`,
      );
    },
  );

  it('validate cmapss names the file and the fewest units a holdout and a training set need', async () => {
    expectRefused(
      await runModels(['validate', 'cmapss', '--dir', dir, ...quick]),
      `models: --dir: train_FD001.txt in ${dir} holds 1 unit; validation with --holdout 0.2 (the default) needs at least 3: 1 held out leaves 0 to train on, and an ensemble member needs 2 (it early-stops on units it does not fit)`,
    );
  });
});

// Regression: units cut shorter than a window crashed inside TensorFlow.js the same way.
describe('C-MAPSS commands on training units too short for a window', () => {
  let short: string;
  let enough: string;
  beforeAll(async () => {
    // The default configuration's first training window ends at cycle 30.
    short = await cutDown((unit, cycle) => unit <= 3 && cycle <= (unit === 2 ? 30 : 29));
    enough = await cutDown((unit, cycle) => unit <= 3 && cycle <= 30);
    folders.push(short, enough);
  });

  it.each(['benchmark', 'train', 'validate'])(
    '%s cmapss names the file, the short units and the fewest cycles each needs',
    async (command) => {
      expectRefused(
        await runModels([command, 'cmapss', '--dir', short, ...flagsOf(command, short)]),
        `models: --dir: train_FD001.txt in ${short}: 2 units have fewer than 30 cycles (unit 1: 29 cycles, unit 3: 29 cycles); each unit needs at least 30 (the first training window ends at cycle 30)`,
      );
    },
  );

  it('validate cmapss --cuts rul asks a cycle more: a held-out unit is cut after 30 and has one left', async () => {
    expectRefused(
      await runModels(['validate', 'cmapss', '--dir', enough, '--cuts', 'rul', ...quick]),
      `models: --dir: train_FD001.txt in ${enough}: 3 units have fewer than 31 cycles (unit 1: 30 cycles, unit 2: 30 cycles, unit 3: 30 cycles); each unit needs at least 31 (a held-out unit is cut after 30 cycles or more, with one or more left)`,
    );
  });

  it('benchmark cmapss trains and scores when every unit has the 30 cycles it needs', async () => {
    const run = await runModels(['benchmark', 'cmapss', '--dir', enough, ...quick, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ trainUnits: 3, testUnits: 3, members: 1 });
  });
});
