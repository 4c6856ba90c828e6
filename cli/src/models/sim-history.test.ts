import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalog } from '@aftercare/core';
import { type DeviceSpec, fleetSpecs } from '@aftercare/device-sim';
import { createSqliteStore } from '@aftercare/ingest';
import { describe, expect, it } from 'vitest';
import {
  deviceHistory,
  simulatedFleetSpecs,
  simulatedHistories,
  writeSimulatedTelemetry,
} from './sim-history.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const from = Date.UTC(2025, 4, 1);

function purifier(failures: DeviceSpec['failures']): DeviceSpec {
  const [spec] = fleetSpecs({
    seed: 4,
    devices: 1,
    models: { 'water-purifier': 1 },
    start: from,
    failureRate: 0,
  });
  return { ...spec!, failures };
}

describe('deviceHistory', () => {
  it('lays out hourly telemetry as the store’s windows do, one series per catalogue metric', () => {
    const history = deviceHistory(purifier([]), from, from + 3 * DAY_MS);
    expect(history.window.ts).toHaveLength(72);
    expect(history.window.ts[0]).toBe(from + HOUR_MS);
    expect(history.window.ts[1]! - history.window.ts[0]!).toBe(HOUR_MS);
    expect(Object.keys(history.window.values).sort()).toEqual(
      catalog['water-purifier'].metrics.map((m) => m.name).sort(),
    );
    expect(history.failures).toEqual([]);
  });

  it('records a failure with its repair, the repair as a service, and firmware events but not failure events', () => {
    const onsetAt = from + 2 * DAY_MS;
    const failedAt = from + 6 * DAY_MS;
    const history = deviceHistory(
      purifier([{ failureMode: 'controller_fault', onsetAt, failedAt }]),
      from,
      from + 12 * DAY_MS,
    );
    expect(history.failures).toHaveLength(1);
    const [failure] = history.failures;
    expect(failure).toMatchObject({
      failureMode: 'controller_fault',
      component: 'control_board',
      onsetAt,
      failedAt,
    });
    expect(failure!.repairedAt).toBeGreaterThan(failedAt);
    expect(history.services).toEqual([{ at: failure!.repairedAt }]);
    expect(history.events.some((e) => e.type === 'error' && e.code === 'wp.controller_watchdog')).toBe(true);
    expect(history.events.some((e) => e.type === 'failure')).toBe(false);
  });

  it('includes a failure that happened before the range and is repaired inside it, so its down time is known', () => {
    const failedAt = from - 6 * HOUR_MS;
    const history = deviceHistory(
      purifier([{ failureMode: 'uv_lamp_ageing', onsetAt: from - 40 * DAY_MS, failedAt }]),
      from,
      from + 10 * DAY_MS,
    );
    expect(history.failures).toEqual([
      expect.objectContaining({ failureMode: 'uv_lamp_ageing', failedAt, repairedAt: expect.any(Number) }),
    ]);
  });
});

describe('simulatedHistories', () => {
  it('streams one history per device of the fleet, in the fleet’s order', () => {
    const options = { seed: 11, devices: 5, days: 20, from };
    const ids = [...simulatedHistories(options)].map((h) => h.deviceId);
    expect(ids).toEqual(simulatedFleetSpecs(options).map((s) => s.id));
  });
});

describe('writeSimulatedTelemetry', () => {
  it('stores what the history holds: the store’s hourly windows equal the history’s', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aftercare-sim-history-'));
    const store = createSqliteStore({ file: join(dir, 'telemetry.db'), retentionDays: 3650 });
    try {
      await store.init();
      const spec = purifier([
        { failureMode: 'membrane_fouling', onsetAt: from + DAY_MS, failedAt: from + 4 * DAY_MS },
      ]);
      const written = await writeSimulatedTelemetry(store, [spec], from, from + 5 * DAY_MS, {
        batchSize: 50,
      });
      expect(written.samples).toBe(120);
      const history = deviceHistory(spec, from, from + 5 * DAY_MS);
      const [window] = await store.windows({
        deviceIds: [spec.id],
        metrics: Object.keys(history.window.values),
        from: from + HOUR_MS,
        to: from + 5 * DAY_MS + HOUR_MS,
        stepMs: HOUR_MS,
      });
      expect(window!.ts).toEqual(history.window.ts);
      for (const [metric, values] of Object.entries(history.window.values)) {
        window!.values[metric]!.forEach((v, i) => {
          expect(v).toBeCloseTo(values[i]!, 9);
        });
      }
      const events = await store.events({ deviceId: spec.id, from, to: from + 6 * DAY_MS, limit: 1000 });
      expect(events.filter((e) => e.type === 'failure').map((e) => e.code)).toEqual(['membrane_fouling']);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
