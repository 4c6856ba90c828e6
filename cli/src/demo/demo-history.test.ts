import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, failureMode } from '@aftercare/core';
import { DeviceSimulator, fleetSpecs, HOUR_MS } from '@aftercare/device-sim';
import { createSqliteStore, type SqliteTelemetryStore } from '@aftercare/ingest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backfillDemoHistory } from './demo-bootstrap.ts';
import { simulateDemoHistory } from './demo-history.ts';

const DAY_MS = 86_400_000;
const until = Date.UTC(2026, 5, 1);
const from = until - 120 * DAY_MS;
const logger = createLogger({ level: 'silent' });
const specs = fleetSpecs({ seed: 4, devices: 6, start: until, failureRate: 8 });

describe('simulateDemoHistory', () => {
  it('decides every failure the simulator had, repairing the caught ones before they fail', async () => {
    const history = await simulateDemoHistory(specs, { from, until, seed: 4 });
    const caught = history.failures.filter((f) => f.outcome === 'caught');
    const failed = history.failures.filter((f) => f.outcome === 'failed');
    expect(caught.length).toBeGreaterThan(3);
    expect(failed.length).toBeGreaterThan(0);
    for (const f of caught) {
      expect(f.flaggedAt!).toBeGreaterThanOrEqual(f.onsetAt);
      expect(f.repairAt).toBeGreaterThan(f.flaggedAt!);
      expect(f.repairAt).toBeLessThan(f.failedAt);
    }
    // A failure that happened was repaired by the corrective visit, before the simulator's own (a day on).
    for (const f of failed) {
      expect(f.repairAt - f.failedAt).toBeGreaterThanOrEqual(HOUR_MS);
      expect(f.repairAt - f.failedAt).toBeLessThan(DAY_MS);
    }
    // Whatever may still be open when the live fleet takes over is left to it.
    expect(history.failures.every((f) => f.failedAt + 4 * DAY_MS <= until)).toBe(true);
    expect(history.samples).toBe(6 * 120 * 24);
  });

  it('makes every visit in the technicians’ working hours, on a quarter hour of Chennai time', async () => {
    // History visits showed at 04:25 local: they were booked at the simulator's repair instant.
    const history = await simulateDemoHistory(specs, { from, until, seed: 4 });
    expect(history.failures.length).toBeGreaterThan(5);
    // Else the Sunday check below would hold for want of any caught failure.
    expect(history.failures.some((f) => f.outcome === 'caught')).toBe(true);
    for (const f of history.failures) {
      // A remote fix is no visit: the device takes the command when the ticket opens.
      if (f.outcome === 'fixed_remotely') continue;
      const local = new Date(f.repairAt + 330 * 60_000);
      const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
      expect(f.repairAt % (15 * 60_000), `${f.deviceId} ${f.failureMode}`).toBe(0);
      expect(minute).toBeGreaterThanOrEqual(9 * 60 + 30);
      expect(minute).toBeLessThanOrEqual(15 * 60);
      // Monday to Saturday; only a breakdown's call-out may fall on a Sunday.
      if (f.outcome === 'caught') expect(local.getUTCDay()).not.toBe(0);
    }
  });

  it('repairs the device in the simulation at the visit: the telemetry and the ticket agree', async () => {
    const repaired: { deviceId: string; failureMode: string | undefined; ts: number }[] = [];
    const history = await simulateDemoHistory(specs, {
      from,
      until,
      seed: 4,
      onTick: (point, events) => {
        for (const e of events)
          if (e.type === 'info' && e.code === 'repaired')
            repaired.push({ deviceId: point.deviceId, failureMode: e.failureMode, ts: e.ts });
      },
    });
    // (A repair planned before the simulation starts happens at its start.)
    const inside = history.failures.filter((f) => f.repairAt >= from);
    expect(inside.length).toBeGreaterThan(5);
    for (const f of inside)
      expect(repaired).toContainEqual({ deviceId: f.deviceId, failureMode: f.failureMode, ts: f.repairAt });
  });

  it('is the same history every time: the seed decides', async () => {
    const a = await simulateDemoHistory(specs, { from, until, seed: 4 });
    const b = await simulateDemoHistory(specs, { from, until, seed: 4 });
    expect(b.failures).toEqual(a.failures);
  });

  it('has the automation’s remote fix clear a caught failure its catalogue clears remotely, resolved once the telemetry shows it', async () => {
    const remoteSpecs = fleetSpecs({
      seed: 9,
      devices: 12,
      start: until,
      failureRate: 8,
      models: { 'water-purifier': 1, refrigerator: 1 },
    });
    const repaired: { deviceId: string; failureMode: string | undefined; ts: number }[] = [];
    const history = await simulateDemoHistory(remoteSpecs, {
      from,
      until,
      seed: 4,
      onTick: (point, events) => {
        for (const e of events)
          if (e.type === 'info' && e.code === 'repaired')
            repaired.push({ deviceId: point.deviceId, failureMode: e.failureMode, ts: e.ts });
      },
    });
    const remote = history.failures.filter((f) => f.outcome === 'fixed_remotely');
    expect(remote.length).toBeGreaterThan(0);
    for (const f of remote) {
      const mode = failureMode(f.model, f.failureMode)!;
      expect(mode.remoteFix).not.toBeNull();
      // Sent as the ticket opened; the simulated device cleared the fault then, before it failed.
      expect(f.repairAt - f.flaggedAt!).toBe(60_000);
      expect(f.repairAt).toBeLessThan(f.failedAt);
      expect(repaired).toContainEqual({ deviceId: f.deviceId, failureMode: f.failureMode, ts: f.repairAt });
      expect(f.remote).toMatchObject({ command: mode.remoteFix, answer: `cleared ${f.failureMode}` });
      // Resolved when the readings showed it, hours later: complete hours after the answer are needed.
      expect(f.remote!.resolvedAt - f.repairAt).toBeGreaterThan(2 * HOUR_MS);
      expect(f.remote!.reason).toMatch(
        new RegExp(
          `^fixed remotely: ${mode.remoteFix} answered ok \\(cleared ${f.failureMode}\\) and the telemetry shows the fault cleared: `,
        ),
      );
    }
    // Only failure modes a command clears are ever fixed remotely.
    for (const f of history.failures.filter((x) => x.outcome !== 'fixed_remotely'))
      expect(f.remote).toBeUndefined();
  });

  it('shows a caught failure stop in the telemetry: the device never reports it', async () => {
    const failureEvents: { deviceId: string; code: string; ts: number }[] = [];
    const history = await simulateDemoHistory(specs, {
      from,
      until,
      seed: 4,
      onTick: (point, events) => {
        for (const e of events)
          if (e.type === 'failure') failureEvents.push({ deviceId: point.deviceId, code: e.code, ts: e.ts });
      },
    });
    for (const f of history.failures) {
      const reported = failureEvents.some(
        (e) => e.deviceId === f.deviceId && e.code === f.failureMode && e.ts === f.failedAt,
      );
      expect(reported, `${f.deviceId} ${f.failureMode} ${f.outcome}`).toBe(f.outcome === 'failed');
    }
    // Without the service, the same devices would have failed every time.
    const untouched = new DeviceSimulator(specs[0]!, from);
    let failures = 0;
    for (let t = from + HOUR_MS; t <= until; t += HOUR_MS)
      failures += untouched.step(t, HOUR_MS).groundTruth.length;
    const ofFirst = history.failures.filter((f) => f.deviceId === specs[0]!.id && f.failedAt >= from);
    expect(failures).toBeGreaterThanOrEqual(ofFirst.length);
  });
});

describe('backfillDemoHistory', () => {
  let dir: string;
  let store: SqliteTelemetryStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aftercare-demo-history-'));
    store = createSqliteStore({ file: join(dir, 'telemetry.db'), retentionDays: 400 });
    await store.init();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const backfill = () =>
    backfillDemoHistory({ store, specs: specs.slice(0, 2), days: 60, until, seed: 4, dataDir: dir, logger });

  it('writes the history once and remembers where it ends', async () => {
    const first = await backfill();
    expect(first.written?.samples).toBe(2 * 60 * 24);
    expect(first.failures).not.toBeNull();
    const marker = JSON.parse(readFileSync(join(dir, 'demo-history.json'), 'utf8'));
    expect(marker).toMatchObject({ version: 2, devices: 2, days: 60, to: until });
    const again = await backfill();
    expect(again).toEqual({ from: until - 60 * DAY_MS, until, failures: null, written: null });
  });

  it('gives a data directory with an older, shorter history the longer one, ending where it ended', async () => {
    const oldEnd = until - 10 * DAY_MS;
    writeFileSync(
      join(dir, 'demo-history.json'),
      JSON.stringify({ devices: 2, from: oldEnd - 30 * DAY_MS, to: oldEnd }),
    );
    const bumped = await backfill();
    expect(bumped.until).toBe(oldEnd);
    expect(bumped.from).toBe(oldEnd - 60 * DAY_MS);
    expect(bumped.written?.samples).toBe(2 * 60 * 24);
    expect(JSON.parse(readFileSync(join(dir, 'demo-history.json'), 'utf8'))).toMatchObject({
      version: 2,
      to: oldEnd,
    });
  });
});
