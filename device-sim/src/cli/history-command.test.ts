import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDeviceEvent, parseTelemetryPayload } from '@aftercare/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureContext } from './cli-test-context.ts';
import { historyCommand } from './history-command.ts';

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

  it('refuses a range that ends before it starts', async () => {
    const { ctx } = captureContext();
    await expect(historyCommand(['--from', '-1d', '--to', '-2d'], ctx)).rejects.toThrow(
      '--from: must be before --to',
    );
  });
});
