import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModels } from '../../test/models-cli-run.ts';

// A fleet this small trains in a second; here the registry's files are what is tested.
const tiny = ['--devices', '4', '--days', '30', '--epochs', '1', '--backend', 'wasm'];

// Regression: a version whose metadata.json was cut short or hand-edited vanished from `list`.
describe('pnpm models list, activate and rollback with a broken version in the registry', () => {
  let dataDir: string;
  const metadataOf = (deviceModel: string, version: string) =>
    path.join(dataDir, 'models', deviceModel, version, 'metadata.json');
  const cli = (...argv: string[]) => runModels([...argv, '--data-dir', dataDir]);

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'aftercare-models-broken-'));
    // Two trainings on simulated fleets: split-ac v1 and v2, v2 active and v1 before it.
    for (const seed of ['1', '7']) {
      const trained = await cli('train', 'fleet', ...tiny, '--seed', seed, '--activate', 'always');
      expect(trained.code).toBe(0);
    }
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
    const { code, stdout, stderr } = await cli('list');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.replace(/\n$/, '').split('\n');
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
