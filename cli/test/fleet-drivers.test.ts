import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalog, failureMode } from '@aftercare/core';
import { type DeviceSpec, fleetSpecs, simulateDevice } from '@aftercare/device-sim';
import { createSqliteStore } from '@aftercare/ingest';
import { createModelRegistry, initBackend, scoreDevices, trainFleetModels } from '@aftercare/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatedHistories, writeSimulatedTelemetry } from '../src/models/sim-history.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const from = Date.UTC(2025, 3, 1);
const acs = { 'split-ac': 1 };

describe('the drivers of a risk', () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend('wasm', () => {});
    dir = await mkdtemp(join(tmpdir(), 'aftercare-fleet-drivers-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('name the metrics the simulator degraded for an injected condenser fan bearing failure', async () => {
    const [trained] = await trainFleetModels({
      histories: () =>
        simulatedHistories({ seed: 1, devices: 40, days: 120, from, models: acs, failureRate: 8 }),
      validation: () =>
        simulatedHistories({ seed: 2, devices: 20, days: 120, from, models: acs, failureRate: 8 }),
      epochs: 20,
      hiddenUnits: [32],
    });
    const registry = createModelRegistry({ dataDir: dir });
    await registry.save(trained!, { activate: true });

    // A healthy unit of another fleet whose fan bearing starts failing 12 days before scoring
    // and gives out a day after it.
    const now = from + 150 * DAY_MS;
    const [base] = fleetSpecs({ seed: 9, devices: 1, models: acs, start: now - 20 * DAY_MS, failureRate: 0 });
    const spec: DeviceSpec = {
      ...base!,
      failures: [
        { failureMode: 'condenser_fan_bearing', onsetAt: now - 12 * DAY_MS, failedAt: now + DAY_MS },
      ],
    };
    const store = createSqliteStore({ file: join(dir, 'telemetry.db'), retentionDays: 3650 });
    await store.init();
    await writeSimulatedTelemetry(store, [spec], now - 20 * DAY_MS, now);
    const { risks } = await scoreDevices({
      registry,
      store,
      devices: [{ deviceId: spec.id, model: spec.model, installedAt: spec.installedAt }],
      now,
      batchSize: 10,
    });
    await store.close();
    registry.close();

    const fan = risks.find((r) => r.component === 'condenser_fan_motor')!;
    const signature = failureMode('split-ac', 'condenser_fan_bearing')!.signature.map((s) => s.metric);
    // The model tells which component is going: the fan motor's risk is the device's highest.
    expect(Math.max(...risks.map((r) => r.pFail))).toBe(fan.pFail);
    expect(fan.drivers.length).toBeGreaterThan(0);
    expect(signature).toContain(fan.drivers[0]!.metric);
    const weights = fan.drivers.reduce((sum, d) => sum + d.weight, 0);
    expect(weights).toBeLessThanOrEqual(1 + 1e-9);
    const top = fan.drivers[0]!;
    expect(top.text).toContain(top.label);
    expect(top.text).toContain(top.unit);
    // Each degraded metric among the drivers moved the way the failure moves it (the fan slows, the
    // vibration and discharge temperature rise). Which of them rank in the top 3 varies with training
    // (tfjs shuffles with Math.random), so the check is on every one that does.
    const moves = new Map(
      failureMode('split-ac', 'condenser_fan_bearing')!.signature.map((s) => [s.metric, s.direction]),
    );
    for (const driver of fan.drivers.filter((d) => moves.has(d.metric))) {
      expect(driver.direction, driver.text).toBe(moves.get(driver.metric));
    }
    // And by how much, over the days since the fault set in (12 days back; it shows later, the
    // simulator's drift growing quadratically): the change is of the size the simulator injected,
    // the last day of the unit against the last day of its healthy twin (same unit, same noise).
    const running = catalog['split-ac'].running!;
    const lastDay = (s: DeviceSpec, metric: string) => {
      let sum = 0;
      let n = 0;
      for (const tick of simulateDevice(s, now - 20 * DAY_MS, now, HOUR_MS)) {
        if (tick.sample.ts < now - DAY_MS || tick.sample.ts >= now) continue;
        // Running hours only, as the drivers compare a unit that cycles (the catalogue's `running`).
        if (tick.sample.metrics[running.metric]! <= running.above) continue;
        sum += tick.sample.metrics[metric]!;
        n++;
      }
      return sum / n;
    };
    for (const driver of fan.drivers.filter((d) => moves.has(d.metric))) {
      const injected = lastDay(spec, driver.metric) - lastDay(base!, driver.metric);
      expect(driver.overDays, driver.text).toBeGreaterThanOrEqual(4);
      expect(driver.overDays, driver.text).toBeLessThanOrEqual(12);
      expect(Math.abs(driver.change), `${driver.text} against ${injected}`).toBeGreaterThan(
        0.5 * Math.abs(injected),
      );
      expect(Math.abs(driver.change), `${driver.text} against ${injected}`).toBeLessThan(
        2 * Math.abs(injected),
      );
    }
  });
});
