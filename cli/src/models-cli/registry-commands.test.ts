import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModels } from '../../test/models-cli-run.ts';

// A fleet this small trains in a second; here the registry's files are what is tested.
const tiny = ['--devices', '4', '--days', '30', '--epochs', '1', '--backend', 'wasm'];

/**
 * A new registry folder after two trainings on simulated fleets: split-ac and refrigerator v1 and v2,
 * v2 active and v1 before it.
 */
async function trainedTwice(prefix: string): Promise<string> {
  const dataDir = await mkdtemp(path.join(tmpdir(), prefix));
  for (const seed of ['1', '7']) {
    const argv = ['train', 'fleet', ...tiny, '--seed', seed, '--activate', 'always', '--data-dir', dataDir];
    expect((await runModels(argv)).code).toBe(0);
  }
  return dataDir;
}

/** The lines `pnpm models list` prints, once it has succeeded with nothing on stderr. */
async function listLines(dataDir: string): Promise<string[]> {
  const { code, stdout, stderr } = await runModels(['list', '--data-dir', dataDir]);
  expect([code, stderr]).toEqual([0, '']);
  return stdout.replace(/\n$/, '').split('\n');
}

// Regression: a version whose metadata.json was cut short or hand-edited vanished from `list`.
describe('pnpm models list, activate and rollback with a broken version in the registry', () => {
  let dataDir: string;
  const metadataOf = (deviceModel: string, version: string) =>
    path.join(dataDir, 'models', deviceModel, version, 'metadata.json');
  const cli = (...argv: string[]) => runModels([...argv, '--data-dir', dataDir]);

  beforeAll(async () => {
    dataDir = await trainedTwice('aftercare-models-broken-');
    const cut = metadataOf('split-ac', 'v1');
    const text = await readFile(cut, 'utf8');
    await writeFile(cut, text.slice(0, Math.floor(text.length / 2)));
    const edited = metadataOf('refrigerator', 'v1');
    const metadata = JSON.parse(await readFile(edited, 'utf8'));
    await writeFile(edited, JSON.stringify({ ...metadata, horizonDays: '14' }, null, 2));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('list shows every version, each broken one marked unreadable with its file and what is wrong', async () => {
    const lines = await listLines(dataDir);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(
      `  split-ac        v1    unreadable: ${metadataOf('split-ac', 'v1')}: not valid JSON`,
    );
    expect(lines[1]).toMatch(/^\* split-ac {8}v2 {4}\d{4}-\d\d-\d\dT.*validation precision/);
    expect(lines[2]).toBe(
      `  refrigerator    v1    unreadable: ${metadataOf('refrigerator', 'v1')}: horizonDays: Invalid input: expected number, received string`,
    );
    expect(lines[3]).toMatch(/^\* refrigerator {4}v2 {4}\d{4}-/);
  });

  it('list --json gives a broken version its problem instead of its figures', async () => {
    const { code, stdout } = await cli('list', '--device-model', 'split-ac', '--json');
    expect(code).toBe(0);
    const entries = JSON.parse(stdout) as Record<string, unknown>[];
    expect(entries).toHaveLength(2);
    expect(entries[0]).toEqual({
      deviceModel: 'split-ac',
      version: 'v1',
      active: false,
      problem: `${metadataOf('split-ac', 'v1')}: not valid JSON`,
    });
    expect(entries[1]).toMatchObject({ version: 'v2', active: true, metrics: expect.any(Object) });
  });

  it('activate refuses a broken version with the reason, and the active one stays', async () => {
    const run = await cli('activate', '--device-model', 'refrigerator', '--version', 'v1');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      `models: refrigerator v1 cannot be activated: ${metadataOf('refrigerator', 'v1')}: horizonDays: Invalid input: expected number, received string`,
    ]);
    const listed = JSON.parse((await cli('list', '--device-model', 'refrigerator', '--json')).stdout);
    expect(
      listed.filter((e: { active: boolean }) => e.active).map((e: { version: string }) => e.version),
    ).toEqual(['v2']);
  });

  it('rollback refuses to go back to a broken version, with the reason', async () => {
    const run = await cli('rollback', '--device-model', 'split-ac');
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      `models: split-ac v1 cannot be rolled back to: ${metadataOf('split-ac', 'v1')}: not valid JSON`,
    ]);
  });
});

// Regression: a damaged active.json made `pnpm models list` fail as a whole and could not be replaced
// by activate; a version without its weights could be activated.
describe('pnpm models list, activate and rollback with a damaged active.json or weights file', () => {
  let dataDir: string;
  const fileOf = (deviceModel: string, ...names: string[]) =>
    path.join(dataDir, 'models', deviceModel, ...names);
  const cli = (...argv: string[]) => runModels([...argv, '--data-dir', dataDir]);

  beforeAll(async () => {
    dataDir = await trainedTwice('aftercare-models-repair-');
    await writeFile(fileOf('split-ac', 'active.json'), '{"version": "v2", "previ');
    await writeFile(
      fileOf('refrigerator', 'active.json'),
      JSON.stringify({ version: 'v9', previous: ['v1'], activatedAt: '2026-01-01T00:00:00.000Z' }),
    );
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('list shows every version, none active, and a line saying what is wrong with each active.json', async () => {
    const lines = await listLines(dataDir);
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/^ {2}split-ac {8}v1 {4}\d{4}-\d\d-\d\dT.*validation precision/);
    expect(lines[1]).toMatch(/^ {2}split-ac {8}v2 {4}\d{4}-/);
    expect(lines[2]).toBe(
      `! split-ac        no active version: ${fileOf('split-ac', 'active.json')}: not valid JSON (pnpm models activate replaces it)`,
    );
    expect(lines[3]).toMatch(/^ {2}refrigerator {4}v1 {4}\d{4}-/);
    expect(lines[4]).toMatch(/^ {2}refrigerator {4}v2 {4}\d{4}-/);
    expect(lines[5]).toBe(
      `! refrigerator    no active version: ${fileOf('refrigerator', 'active.json')}: names version v9, which does not exist (pnpm models activate replaces it)`,
    );
  });

  it('list --json keeps one object per version on stdout and says what is wrong on stderr', async () => {
    const { code, stdout, stderr } = await cli('list', '--device-model', 'split-ac', '--json');
    expect(code).toBe(0);
    const entries = JSON.parse(stdout) as { version: string; active: boolean }[];
    expect(entries.map((e) => [e.version, e.active])).toEqual([
      ['v1', false],
      ['v2', false],
    ]);
    expect(stderr).toBe(
      `models: split-ac has no active version: ${fileOf('split-ac', 'active.json')}: not valid JSON (pnpm models activate replaces it)\n`,
    );
  });

  it('rollback goes back to the version before when only the active one is missing', async () => {
    const run = await cli('rollback', '--device-model', 'refrigerator');
    expect([run.code, run.stdout, run.stderr]).toEqual([0, 'refrigerator: back to v1\n', '']);
    expect(JSON.parse(await readFile(fileOf('refrigerator', 'active.json'), 'utf8'))).toMatchObject({
      version: 'v1',
      previous: [],
    });
  });

  it('rollback without a readable history refuses on one line, saying to activate instead', async () => {
    const run = await cli('rollback', '--device-model', 'split-ac');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `models: split-ac has no previously active model version to roll back to: ${fileOf('split-ac', 'active.json')}: not valid JSON (activate a version to replace it)\n`,
    );
  });

  it('activate refuses a version whose weights file is cut short, naming the file, and the active one stays', async () => {
    const weights = fileOf('refrigerator', 'v2', 'weights.bin');
    const bytes = (await readFile(weights)).byteLength;
    await truncate(weights, 64);
    const run = await cli('activate', '--device-model', 'refrigerator', '--version', 'v2');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `models: refrigerator v2 cannot be activated: ${weights}: 64 bytes of weights where model.json describes ${bytes.toLocaleString('en')}\n`,
    );
    const listed = await cli('list', '--device-model', 'refrigerator');
    expect(listed.stdout).toMatch(/^\* refrigerator {4}v1 {4}/);
    // The list says so too, before anyone tries it.
    expect(listed.stdout).toContain(`unreadable: ${weights}: 64 bytes of weights`);
  });

  it('activate replaces the damaged active.json, and list shows the version active', async () => {
    const run = await cli('activate', '--device-model', 'split-ac', '--version', 'v1');
    expect([run.code, run.stdout, run.stderr]).toEqual([0, 'split-ac: v1 is active\n', '']);
    const listed = await cli('list', '--device-model', 'split-ac');
    expect(listed.stdout).toMatch(/^\* split-ac {8}v1 {4}/);
    expect(listed.stdout).not.toContain('active.json');
  });
});
