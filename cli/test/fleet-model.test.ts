import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyNormalisation,
  createModelRegistry,
  evaluateFleet,
  FeatureSource,
  initBackend,
  predictFleet,
  type TrainedFleetModel,
  trainFleetModels,
} from '@aftercare/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatedHistories } from '../src/models/sim-history.ts';

const DAY_MS = 86_400_000;
const from = Date.UTC(2025, 2, 1);
const fleet = (seed: number, devices: number) =>
  simulatedHistories({ seed, devices, days: 120, from, models: { 'washing-machine': 1 }, failureRate: 8 });

describe('a fleet model trained on a simulated fleet', () => {
  let trained: TrainedFleetModel;
  let dir: string;
  beforeAll(async () => {
    await initBackend('wasm', () => {});
    dir = await mkdtemp(join(tmpdir(), 'aftercare-fleet-model-'));
    const progress: string[] = [];
    [trained] = (await trainFleetModels({
      histories: () => fleet(1, 40),
      validation: () => fleet(2, 20),
      trainingRange: { dataset: 'simulated-fleet', seed: 1, days: 120 },
      validationRange: { dataset: 'simulated-fleet', seed: 2, days: 120 },
      epochs: 20,
      hiddenUnits: [32],
      onProgress: (p) => progress.push(p.phase),
    })) as [TrainedFleetModel];
    expect(progress).toEqual(expect.arrayContaining(['histories', 'epoch', 'trained']));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('records its data, its feature spec and the operating point chosen on the validation fleet', () => {
    const m = trained.metadata;
    expect(m.deviceModel).toBe('washing-machine');
    expect(m.trainingRange).toMatchObject({ dataset: 'simulated-fleet', seed: 1, devices: 40 });
    expect(m.validationRange).toMatchObject({ seed: 2, devices: 20 });
    // About one row a day from day 14 to day 106, less the days the machines were down.
    expect(m.trainingRange.rows).toBeGreaterThan(40 * 80);
    expect(Object.values(m.trainingRange.positives).every((n) => n > 0)).toBe(true);
    expect(m.targets.map((t) => t.component)).toEqual([
      'drum_bearing',
      'drain_pump',
      'heater',
      'shock_absorbers',
    ]);
    for (const t of m.targets) {
      expect(t.threshold).toBeGreaterThan(0);
      expect(t.threshold).toBeLessThan(1);
      expect(t.validation.model.failures).toBe(t.validation.baseline.failures);
    }
    expect(m.featureSpec.features).toHaveLength(m.normalisation.mean.length);
    expect(m).toMatchObject({ horizonDays: 14, backend: 'wasm', evaluation: { everyHours: 12 } });
  });

  it('is saved, reloaded and gives the same outputs', async () => {
    const registry = createModelRegistry({ dataDir: dir });
    await registry.activate('washing-machine', await registry.save(trained));
    const reloaded = (await registry.active('washing-machine'))!;
    const [history] = [...fleet(5, 1)];
    const spec = trained.metadata.featureSpec;
    const source = new FeatureSource(spec, history!.window, { events: history!.events });
    const times = [30, 50, 70].map((d) => from + d * DAY_MS);
    const raw = new Float64Array(times.length * spec.features.length);
    times.forEach((t, i) => {
      source.fill(t, raw, i * spec.features.length);
    });
    const x = applyNormalisation(trained.metadata.normalisation, raw, times.length);
    const before = predictFleet(trained.model, x, times.length, spec.features.length);
    const after = predictFleet(reloaded.model, x, times.length, spec.features.length);
    expect(Array.from(after.pFail)).toEqual(Array.from(before.pFail));
    expect(Array.from(after.daysLeftFraction)).toEqual(Array.from(before.daysLeftFraction));
    expect(reloaded.metadata).toEqual(trained.metadata);
    registry.close();
  });

  it('is evaluated on a fleet of another seed beside the rule baseline, both judged on the same failures', async () => {
    const devicesSeen: number[] = [];
    const result = await evaluateFleet({
      models: [trained],
      histories: () => [
        ...fleet(3, 20),
        ...simulatedHistories({ seed: 3, devices: 1, days: 30, from, models: { refrigerator: 1 } }),
      ],
      onProgress: (p) => devicesSeen.push(p.devices),
    });
    expect(result.devices).toBe(21);
    expect(result.skippedDevices).toBe(1);
    expect(devicesSeen.at(-1)).toBe(21);
    expect(result.model.failures).toBeGreaterThan(20);
    expect(result.baseline.failures).toBe(result.model.failures);
    expect(result.byFailureMode.map((f) => f.failureMode)).toEqual([
      'drum_bearing_wear',
      'drain_pump_clog',
      'heater_element_failure',
      'suspension_wear',
    ]);
    // Even a model this small finds most failures of a fleet it never saw, and cries wolf less than the rules.
    expect(result.model.recall).toBeGreaterThan(0.5);
    expect(result.model.precision).toBeGreaterThan(result.baseline.precision!);
    expect(result.model.medianLeadDays).toBeGreaterThan(0);
  });
});
