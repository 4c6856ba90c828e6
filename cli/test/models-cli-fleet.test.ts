import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { silentLogger } from '@aftercare/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModelsCli } from '../src/models-cli/cli.ts';

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (b: Buffer) => (out += b));
  stderr.on('data', (b: Buffer) => (err += b));
  const code = await runModelsCli(argv, {
    env: {},
    stdout,
    stderr,
    signal: new AbortController().signal,
    logger: silentLogger,
  });
  return { code, stdout: out, stderr: err };
}

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
    const first = await cli('train', 'fleet', ...small, '--data-dir', dataDir, '--json');
    expect(first.code).toBe(0);
    const saved = JSON.parse(first.stdout).models as { deviceModel: string; version: string }[];
    expect(saved.length).toBeGreaterThan(0);
    expect(saved.every((s) => s.version === 'v1')).toBe(true);
    const deviceModel = saved[0]!.deviceModel;

    const second = await cli('train', 'fleet', ...small, '--seed', '7', '--data-dir', dataDir, '--json');
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
    [['rollback'], /^models: --device-model: must be one of/],
    [['benchmark', 'fleet', '--devices', 'many'], /^models: --devices: must be a number \(got "many"\)$/],
  ])('%j fails with one line', async (argv, message) => {
    const { code, stdout, stderr } = await cli(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim()).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
