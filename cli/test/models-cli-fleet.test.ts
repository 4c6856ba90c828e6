import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModels } from './models-cli-run.ts';

const cli = (...argv: string[]) => runModels(argv);

// A small fleet keeps these runs to seconds; the figures themselves are the benchmark's business.
const small = ['--devices', '12', '--days', '60', '--epochs', '1', '--backend', 'wasm'];

describe('pnpm models fleet commands and the registry', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'aftercare-models-fleet-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('benchmark fleet --json prints one object with model and baseline figures from three seeds', async () => {
    const { code, stdout } = await cli('benchmark', 'fleet', '--seed', '4', ...small, '--json');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const result = JSON.parse(stdout);
    expect(result.seeds).toEqual({ train: 4, validation: 5, test: 6 });
    for (const side of ['model', 'baseline']) {
      expect(Object.keys(result[side]).sort()).toEqual([
        'alertEpisodes',
        'failures',
        'medianLeadDays',
        'precision',
        'recall',
      ]);
    }
    expect(result.backend).toBe('wasm');
    expect(result.trainSeconds).toBeGreaterThan(0);
  });

  it('train saves versions into the registry; list, rollback and activate move the active one', async () => {
    // A fleet this small trains models that are not worth activating; here the registry is tested.
    const first = await cli(
      'train',
      'fleet',
      ...small,
      '--data-dir',
      dataDir,
      '--activate',
      'always',
      '--json',
    );
    expect(first.code).toBe(0);
    const saved = JSON.parse(first.stdout).models as { deviceModel: string; version: string }[];
    expect(saved.length).toBeGreaterThan(0);
    expect(saved.every((s) => s.version === 'v1')).toBe(true);
    const deviceModel = saved[0]!.deviceModel;

    const second = await cli(
      'train',
      'fleet',
      ...small,
      '--seed',
      '7',
      '--data-dir',
      dataDir,
      '--activate',
      'always',
      '--json',
    );
    expect(second.code).toBe(0);
    const activeOf = async () => {
      const list = await cli('list', '--device-model', deviceModel, '--data-dir', dataDir, '--json');
      expect(list.code).toBe(0);
      return (JSON.parse(list.stdout) as { version: string; active: boolean }[])
        .filter((e) => e.active)
        .map((e) => e.version);
    };
    expect(await activeOf()).toEqual(['v2']);

    const back = await cli('rollback', '--device-model', deviceModel, '--data-dir', dataDir);
    expect(back).toMatchObject({ code: 0, stdout: `${deviceModel}: back to v1\n` });
    expect(await activeOf()).toEqual(['v1']);

    const again = await cli(
      'activate',
      '--device-model',
      deviceModel,
      '--version',
      'v2',
      '--data-dir',
      dataDir,
    );
    expect(again.code).toBe(0);
    expect(await activeOf()).toEqual(['v2']);

    const evaluated = await cli(
      'evaluate',
      'fleet',
      '--seed',
      '9',
      '--devices',
      '12',
      '--days',
      '60',
      '--data-dir',
      dataDir,
      '--json',
      '--backend',
      'wasm',
    );
    expect(evaluated.code).toBe(0);
    expect(JSON.parse(evaluated.stdout)).toMatchObject({ seed: 9, devices: 12, backend: 'wasm' });
  });

  it('a training that found nothing keeps the active versions, and stdout names the device models it skipped', async () => {
    const registry = await mkdtemp(path.join(tmpdir(), 'aftercare-models-keep-'));
    // Four devices over 30 days: the validation fleet (seed 2, two devices) has no failure at all,
    // and no water purifier or washing machine.
    const tiny = [
      '--devices',
      '4',
      '--days',
      '30',
      '--epochs',
      '1',
      '--backend',
      'wasm',
      '--data-dir',
      registry,
    ];
    try {
      const forced = await cli('train', 'fleet', ...tiny, '--activate', 'always');
      expect(forced.code).toBe(0);
      expect(forced.stdout).toContain('split-ac        v1 (active)');

      const run = await cli('train', 'fleet', ...tiny);
      expect(run.code).toBe(0);
      expect(run.stdout.trim().split('\n').slice(1)).toEqual([
        '  split-ac        v2 (not active: its validation fleet had no split-ac failure to check it on)  validation precision 0.00, recall —',
        '  refrigerator    v2 (not active: its validation fleet had no refrigerator failure to check it on)  validation precision 0.00, recall —',
        '  water-purifier  skipped: no water-purifier in the validation fleet (seed 2, 2 devices)',
        '  washing-machine skipped: no washing-machine in the validation fleet (seed 2, 2 devices)',
        '  a version not made active leaves the active one as it was; --activate always makes it active anyway,',
        '  and pnpm models activate makes a saved version active later',
      ]);
      const list = await cli('list', '--data-dir', registry, '--json');
      const active = (JSON.parse(list.stdout) as { deviceModel: string; version: string; active: boolean }[])
        .filter((e) => e.active)
        .map((e) => `${e.deviceModel} ${e.version}`);
      expect(active).toEqual(['split-ac v1', 'refrigerator v1']);

      const json = JSON.parse((await cli('train', 'fleet', ...tiny, '--json')).stdout);
      expect(json.models.map((m: { active: boolean }) => m.active)).toEqual([false, false]);
      expect(json.skipped.map((s: { deviceModel: string }) => s.deviceModel)).toEqual([
        'water-purifier',
        'washing-machine',
      ]);
    } finally {
      await rm(registry, { recursive: true, force: true });
    }
  });

  it('evaluate fleet without any trained model says how to get one', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'aftercare-models-empty-'));
    try {
      const { code, stderr } = await cli('evaluate', 'fleet', '--data-dir', empty, '--backend', 'wasm');
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toEqual([
        `models: no active fleet model in ${empty}/models (train one: pnpm models train fleet)`,
      ]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it.each([
    [
      ['activate', '--device-model', 'toaster', '--version', 'v1'],
      /^models: --device-model: must be one of split-ac/,
    ],
    [
      ['activate', '--device-model', 'split-ac', '--version', '2'],
      /^models: --version: must look like v2 \(got "2"\)$/,
    ],
    [
      ['activate'],
      /^models: --device-model: is required; must be one of split-ac, refrigerator, water-purifier, washing-machine$/,
    ],
    [
      ['rollback'],
      /^models: --device-model: is required; must be one of split-ac, refrigerator, water-purifier, washing-machine$/,
    ],
    [
      ['activate', '--device-model', 'split-ac'],
      /^models: --version: is required; the version to activate, e.g. v2$/,
    ],
    [
      ['train', 'fleet', '--activate', 'sometimes'],
      /^models: --activate: must be one of auto, always, never/,
    ],
    [['benchmark', 'fleet', '--devices', 'many'], /^models: --devices: must be a number \(got "many"\)$/],
  ])('%j fails with one line', async (argv, message) => {
    const { code, stdout, stderr } = await cli(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim()).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
