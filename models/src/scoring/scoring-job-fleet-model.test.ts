import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalog, type Risk, silentLogger } from '@aftercare/core';
import { createSqliteStore, type SqliteTelemetryStore, type TelemetryPoint } from '@aftercare/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import type { LabelledDeviceHistory } from '../fleet/labelled-history.ts';
import { trainFleetModels } from '../fleet/train-fleet.ts';
import { createModelRegistry, type ModelRegistry } from '../registry/model-registry.ts';
import type { RiskSink } from './risk-sink.ts';
import { scoreDevices } from './score-fleet.ts';
import { createScoringJob } from './scoring-job.ts';

const hour = 3_600_000;
const day = 24 * hour;
const now = Date.UTC(2026, 10, 26, 12);
const metrics = catalog['split-ac'].metrics;
const worn = new Set(['compressor_current_a', 'discharge_temp_c', 'vibration_mm_s']);

/** Deterministic jitter in [-1, 1) from the device and the hour. */
function jitter(device: number, h: number, metric: number): number {
  let x = Math.imul(device * 7919 + h * 104729 + metric * 31, 2654435761) >>> 0;
  x ^= x >>> 15;
  return ((x % 2000) - 1000) / 1000;
}

/**
 * A split AC's hourly life from `from` to `to`: every catalogue metric in its healthy range with a
 * daily swing; when `failsAt` is given, the compressor wears for 20 days before it (current,
 * discharge temperature and vibration climb) and is repaired two days after.
 */
function acReadings(device: number, from: number, to: number, failsAt?: number) {
  const ts: number[] = [];
  const values: Record<string, (number | null)[]> = Object.fromEntries(metrics.map((m) => [m.name, []]));
  for (let t = from; t < to; t += hour) {
    ts.push(t);
    const onset = failsAt === undefined ? Number.POSITIVE_INFINITY : failsAt - 20 * day;
    const wear = t >= onset && t < failsAt! + 2 * day ? Math.min(1, (t - onset) / (20 * day)) : 0;
    metrics.forEach((m, k) => {
      const [lo, hi] = m.healthy;
      const swing = 0.15 * (hi - lo) * Math.sin((2 * Math.PI * (t / hour + 3 * device)) / 24);
      const value = (lo + hi) / 2 + swing + 0.05 * (hi - lo) * jitter(device, t / hour, k);
      values[m.name]!.push(value + (worn.has(m.name) ? wear * 0.6 * (hi - lo) : 0));
    });
  }
  return { ts, values };
}

function history(device: number, from: number, days: number, failing: boolean): LabelledDeviceHistory {
  const to = from + days * day;
  const failsAt = failing ? from + (35 + (device % 15)) * day : undefined;
  const deviceId = `ac-train-${device}`;
  return {
    deviceId,
    model: 'split-ac',
    installedAt: from - 365 * day,
    window: { deviceId, ...acReadings(device, from, to, failsAt) },
    events: [],
    failures:
      failsAt === undefined
        ? []
        : [
            {
              component: 'compressor',
              failureMode: 'compressor_wear',
              onsetAt: failsAt - 20 * day,
              failedAt: failsAt,
              repairedAt: failsAt + 2 * day,
            },
          ],
    services: failsAt === undefined ? [] : [{ at: failsAt + 2 * day }],
  };
}

function points(deviceId: string, device: number, from: number, to: number): TelemetryPoint[] {
  const { ts, values } = acReadings(device, from, to);
  return ts.map((t, i) => ({
    deviceId,
    model: 'split-ac',
    ts: t,
    metrics: Object.fromEntries(metrics.map((m) => [m.name, values[m.name]![i]!])),
  }));
}

/** The job with the models' real batch scorer and a fleet model trained here on a small fleet. */
describe('createScoringJob with the fleet model', () => {
  let dir: string;
  let store: SqliteTelemetryStore;
  let registry: ModelRegistry;
  const skipped: unknown[] = [];

  beforeAll(async () => {
    await initBackend('wasm', () => {});
    dir = await mkdtemp(join(tmpdir(), 'aftercare-scoring-fleet-'));
    const start = now - 90 * day;
    const [trained] = await trainFleetModels({
      histories: () => Array.from({ length: 16 }, (_, i) => history(i, start, 60, i % 2 === 0)),
      validation: () => Array.from({ length: 8 }, (_, i) => history(100 + i, start, 60, i % 2 === 0)),
      // A refrigerator is asked for too, and the fleet has none: it is reported, not trained.
      deviceModels: ['split-ac', 'refrigerator'],
      onProgress: (p) => {
        if (p.phase === 'skipped') skipped.push(p);
      },
      epochs: 3,
      patience: 3,
      hiddenUnits: [8],
      batchSize: 64,
      seed: 1,
      logger: silentLogger,
    });
    registry = createModelRegistry({ dataDir: dir });
    await registry.save(trained!, { activate: true });

    store = createSqliteStore({ file: join(dir, 'telemetry.db'), retentionDays: 30 });
    await store.init();
    await store.write([
      ...points('ac-live-1', 201, now - 15 * day, now),
      ...points('ac-live-2', 202, now - 15 * day, now),
      ...points('ac-new', 203, now - 12 * hour, now),
    ]);
  });
  afterAll(async () => {
    registry?.close();
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('says which device model asked for got no model, and why', () => {
    expect(skipped).toEqual([{ phase: 'skipped', deviceModel: 'refrigerator', reason: 'not-in-training' }]);
  });

  it('stores a risk per failure mode for each device with enough data and skips the one without', async () => {
    const accepted: Risk[] = [];
    const sink: RiskSink = {
      async acceptRisks(risks) {
        accepted.push(...risks);
      },
    };
    const job = createScoringJob({
      store,
      sink,
      logger: silentLogger,
      score: (deviceIds, at) =>
        scoreDevices({
          registry,
          store,
          devices: deviceIds.map((deviceId) => ({ deviceId, model: 'split-ac' as const })),
          now: at,
          batchSize: 512,
        }),
    });
    const report = await job.runOnce(now);

    const modes = catalog['split-ac'].failureModes;
    expect(report).toMatchObject({ selected: 3, devicesScored: 2, skipped: 1, risks: 2 * modes.length });
    const stored = await store.latestRisks();
    expect(stored.map((r) => `${r.deviceId}/${r.component}`)).toEqual(
      ['ac-live-1', 'ac-live-2'].flatMap((id) => modes.map((m) => `${id}/${m.component}`).sort()),
    );
    for (const risk of stored) {
      expect(risk).toMatchObject({ modelVersion: 'v1', scoredAt: now, horizonDays: 14 });
      expect(risk.pFail).toBeGreaterThanOrEqual(0);
      expect(risk.pFail).toBeLessThanOrEqual(1);
    }
    expect(accepted).toHaveLength(stored.length);
    expect(await store.latestRisks(['ac-new'])).toEqual([]);
  });

  it('skips the devices of a model whose active.json is damaged, saying which file and what is wrong', async () => {
    await writeFile(join(dir, 'models', 'split-ac', 'active.json'), '{"version": 7');
    const result = await scoreDevices({
      registry: createModelRegistry({ dataDir: dir }),
      store,
      devices: [{ deviceId: 'ac-live-1', model: 'split-ac' }],
      now,
      batchSize: 512,
      logger: silentLogger,
    });
    expect(result.risks).toEqual([]);
    expect(result.skipped).toEqual([
      {
        deviceId: 'ac-live-1',
        reason: `model for split-ac could not be loaded: ${join(dir, 'models', 'split-ac', 'active.json')}: not valid JSON`,
      },
    ]);
  });
});
