import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDeviceEvent, parseTelemetryPayload } from '@aftercare/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureContext } from './cli-test-context.ts';
import { historyCommand } from './history-command.ts';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs `pnpm sim` as a user does: its own process through tsx, stdout piped to the test. */
function spawnSim(argv: string[], onStdout?: (child: ReturnType<typeof spawn>) => void) {
  return new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(repo, 'device-sim/src/main.ts'), ...argv],
      {
        cwd: repo,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b));
    if (onStdout) onStdout(child);
    else child.stdout!.resume();
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('pnpm sim history', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-history-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes devices, telemetry, events and ground truth as JSON lines that core accepts', async () => {
    const file = join(dir, 'out', 'history.jsonl');
    const { ctx, stderr } = captureContext({}, Date.UTC(2025, 6, 1));
    const args = [
      '--devices',
      '6',
      '--from',
      '-60d',
      '--interval',
      '2h',
      '--failure-rate',
      '12',
      '--out',
      file,
    ];
    expect(await historyCommand(args, ctx)).toBe(0);
    const records = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const kinds = (kind: string) => records.filter((r) => r.kind === kind);
    expect(kinds('device')).toHaveLength(6);
    expect(kinds('telemetry')).toHaveLength(6 * 60 * 12);
    const truth = kinds('ground_truth');
    expect(truth.length).toBeGreaterThan(0);
    const failures = kinds('event').filter((r) => r.event.type === 'failure');
    expect(failures.map((f) => [f.deviceId, f.event.failureMode, f.event.ts])).toEqual(
      truth.map((t) => [t.deviceId, t.failureMode, t.failedAt]),
    );
    for (const r of kinds('telemetry').slice(0, 200)) {
      expect(
        parseTelemetryPayload(JSON.stringify({ ts: r.ts, seq: r.seq, metrics: r.metrics }), Date.now()).ok,
      ).toBe(true);
    }
    for (const r of kinds('event'))
      expect(parseDeviceEvent(JSON.stringify(r.event), Date.now()).ok).toBe(true);
    expect(stderr()).toContain(`6 devices, ${(6 * 60 * 12).toLocaleString('en-US')} samples`);
  });

  it('writes to standard output without --out, and the same seed writes the same history', async () => {
    const now = Date.UTC(2025, 6, 1);
    const a = captureContext({}, now);
    const b = captureContext({}, now);
    await historyCommand(['--devices', '2', '--from', '-3d', '--seed', '5'], a.ctx);
    await historyCommand(['--devices', '2', '--from', '-3d', '--seed', '5'], b.ctx);
    expect(a.stdout().split('\n').length).toBeGreaterThan(2 * 72);
    expect(a.stdout()).toBe(b.stdout());
  });

  // Regression: every write error was taken for a closed pipe; the command said "24 samples" and wrote nothing.
  it('fails with one line, before generating anything, when --out is a directory', async () => {
    const target = join(dir, 'a-directory');
    await mkdir(target);
    const { ctx, stderr } = captureContext();
    await expect(historyCommand(['--devices', '1', '--from', '-1d', '--out', target], ctx)).rejects.toThrow(
      `cannot write --out ${target}: it is a directory`,
    );
    expect(stderr()).toBe('');
    expect(await readdir(target)).toEqual([]);
  });

  it.skipIf(!existsSync('/dev/full'))('fails when a write fails midway (a full disk)', async () => {
    const { ctx, stderr } = captureContext();
    await expect(
      historyCommand(['--devices', '20', '--from', '-30d', '--out', '/dev/full'], ctx),
    ).rejects.toThrow('cannot write --out /dev/full: no space left on the device');
    expect(stderr()).toBe('');
  });

  it('exits non-zero with one line from the command line, as pnpm sim runs it', async () => {
    const target = join(dir, 'another-directory');
    await mkdir(target);
    const { code, stderr } = await spawnSim(['history', '--devices', '1', '--from', '-1d', '--out', target]);
    expect(code).toBe(1);
    expect(stderr).toBe(`pnpm sim history: cannot write --out ${target}: it is a directory\n`);
  });

  it('still stops quietly, exit 0, when the reader of standard output goes away (| head)', async () => {
    const { code, stderr } = await spawnSim(['history', '--devices', '20', '--from', '-365d'], (child) =>
      child.stdout!.once('data', () => child.stdout!.destroy()),
    );
    expect(code).toBe(0);
    expect(stderr).toMatch(/^history: 20 devices, /);
  });

  // Regression: this said "Option '--id-prefix' argument is ambiguous." and nothing more.
  it('refuses an id prefix that starts with "-", saying why', async () => {
    const { ctx } = captureContext();
    await expect(historyCommand(['--id-prefix', '-bad'], ctx)).rejects.toThrow(
      '--id-prefix: must be letters, digits, "_" or "-", starting with a letter or digit (got "-bad")',
    );
  });

  // Regression: `--models ''` ended "the model mix gives no model a positive share", exit 1, naming no flag.
  it('refuses an empty --models as a flag error: one line naming it, exit 2 like the others', async () => {
    const { code, stderr } = await spawnSim(['history', '--devices', '1', '--models', '']);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^pnpm sim history: --models: must name at least one model of split-ac, [^\n]*\n$/,
    );
  });

  // Regression: `--devices 0x2` wrote a history of 2 devices.
  it('refuses a number in another form than decimal digits: one line naming the flag, exit 2', async () => {
    const { code, stderr } = await spawnSim(['history', '--devices', '0x2', '--from', '-1d']);
    expect(code).toBe(2);
    expect(stderr).toBe('pnpm sim history: --devices: must be a whole number (got "0x2")\n');
  });

  it('refuses a range that ends before it starts', async () => {
    const { ctx } = captureContext();
    await expect(historyCommand(['--from', '-1d', '--to', '-2d'], ctx)).rejects.toThrow(
      '--from: must be before --to',
    );
  });
});
