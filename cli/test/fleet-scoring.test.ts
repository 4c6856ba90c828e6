import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Risk, riskSchema } from '@aftercare/core';
import { fleetSpecs } from '@aftercare/device-sim';
import { createSqliteStore, type SqliteTelemetryStore } from '@aftercare/ingest';
import {
  applyNormalisation,
  createModelRegistry,
  extractFeatures,
  initBackend,
  liveTensorCount,
  type ModelRegistry,
  predictFleet,
  scoreDevices,
  trainFleetModels,
} from '@aftercare/models';
import {
  type Actor,
  createDatabase,
  createServiceRepositories,
  type ServiceDatabase,
  systemActor,
} from '@aftercare/service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoRiskHistory } from '../src/demo/risk-history.ts';
import { deviceHistory, simulatedHistories, writeSimulatedTelemetry } from '../src/models/sim-history.ts';
import { serviceRecordsLastService } from '../src/scoring.ts';

const DAY_MS = 86_400_000;
const trainFrom = Date.UTC(2025, 2, 1);
/** The scoring time, on the hour, after the scored fleet's 20 days of telemetry. */
const now = Date.UTC(2025, 6, 1);
const purifiers = { 'water-purifier': 1 };

describe('scoreDevices over a real SQLite store', () => {
  let dir: string;
  let store: SqliteTelemetryStore;
  let registry: ModelRegistry;
  // Purifiers of another seed than training: six with fresh data, one silent, one gone quiet.
  const scored = fleetSpecs({
    seed: 7,
    devices: 8,
    models: purifiers,
    start: now - 20 * DAY_MS,
    failureRate: 6,
  });
  const fresh = scored.slice(0, 6);
  const [silent, stale] = [scored[6]!, scored[7]!];
  const fridge = fleetSpecs({
    seed: 7,
    devices: 1,
    models: { refrigerator: 1 },
    start: now - 20 * DAY_MS,
    idPrefix: 'rf-',
  })[0]!;

  beforeAll(async () => {
    await initBackend('wasm', () => {});
    dir = await mkdtemp(join(tmpdir(), 'aftercare-fleet-scoring-'));
    store = createSqliteStore({ file: join(dir, 'telemetry.db'), retentionDays: 3650 });
    await store.init();
    const trained = await trainFleetModels({
      histories: () =>
        simulatedHistories({
          seed: 1,
          devices: 16,
          days: 60,
          from: trainFrom,
          models: purifiers,
          failureRate: 8,
        }),
      validation: () =>
        simulatedHistories({
          seed: 2,
          devices: 8,
          days: 45,
          from: trainFrom,
          models: purifiers,
          failureRate: 8,
        }),
      epochs: 4,
      hiddenUnits: [16],
    });
    registry = createModelRegistry({ dataDir: dir });
    await registry.save(trained[0]!, { activate: true });
    await writeSimulatedTelemetry(store, [...fresh, fridge], now - 20 * DAY_MS, now);
    await writeSimulatedTelemetry(store, [stale], now - 20 * DAY_MS, now - 5 * DAY_MS);
  });
  afterAll(async () => {
    registry?.close();
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const devices = () =>
    [...scored, fridge].map((s) => ({ deviceId: s.id, model: s.model, installedAt: s.installedAt }));

  it('returns one valid risk per device with data and failure mode, from the active version', async () => {
    const { risks } = await scoreDevices({ registry, store, devices: devices(), now, batchSize: 500 });
    expect(risks).toHaveLength(fresh.length * 5);
    for (const risk of risks) expect(riskSchema.parse(risk)).toEqual(risk);
    expect(new Set(risks.map((r) => r.deviceId))).toEqual(new Set(fresh.map((s) => s.id)));
    expect(new Set(risks.map((r) => r.failureMode))).toEqual(
      new Set([
        'membrane_fouling',
        'prefilter_exhausted',
        'booster_pump_wear',
        'uv_lamp_ageing',
        'controller_fault',
      ]),
    );
    for (const risk of risks) {
      expect(risk).toMatchObject({ modelVersion: 'v1', horizonDays: 14, scoredAt: now });
      expect(risk.dataUntil).toBe(now);
    }
  });

  it('gives no score to a device without telemetry, one gone quiet, or one whose model has no active version', async () => {
    const { risks, skipped } = await scoreDevices({
      registry,
      store,
      devices: devices(),
      now,
      batchSize: 500,
    });
    expect(risks.some((r) => [silent.id, stale.id, fridge.id].includes(r.deviceId))).toBe(false);
    expect(skipped).toEqual(
      expect.arrayContaining([
        { deviceId: silent.id, reason: 'no telemetry in the 14 days before scoring' },
        {
          deviceId: stale.id,
          reason: expect.stringMatching(
            /^too little data: 65% of hourly readings over 14 days and 0% over the last day; scoring needs 50% of both$/,
          ),
        },
        // Missing a model, unlike missing data, is worth retrying at the next run.
        { deviceId: fridge.id, reason: 'no active model version for refrigerator', retry: true },
      ]),
    );
    expect(skipped).toHaveLength(3);
  });

  it('scores from the store exactly what the model gives on the same device’s simulated history', async () => {
    const { risks } = await scoreDevices({ registry, store, devices: devices(), now, batchSize: 500 });
    const active = (await registry.active('water-purifier'))!;
    const spec = active.metadata.featureSpec;
    for (const device of fresh) {
      const history = deviceHistory(device, now - 20 * DAY_MS, now);
      const { values } = extractFeatures(
        spec,
        history.window,
        { installedAt: device.installedAt, events: history.events },
        now,
      );
      const scaled = applyNormalisation(active.metadata.normalisation, values, 1);
      const { pFail } = predictFleet(active.model, scaled, 1, spec.features.length);
      const fromStore = risks.filter((r) => r.deviceId === device.id).map((r) => r.pFail);
      expect(fromStore).toHaveLength(5);
      fromStore.forEach((p, k) => {
        expect(p).toBeCloseTo(pFail[k]!, 6);
      });
    }
  });

  it('gives the same risks whatever the batch size', async () => {
    const one = await scoreDevices({ registry, store, devices: devices(), now, batchSize: 500 });
    const small = await scoreDevices({ registry, store, devices: devices(), now, batchSize: 2 });
    expect(small.risks.length).toBe(one.risks.length);
    small.risks.forEach((risk, i) => {
      expect(risk.deviceId).toBe(one.risks[i]!.deviceId);
      expect(risk.pFail).toBeCloseTo(one.risks[i]!.pFail, 6);
    });
  });

  it('leaves no tensors behind, however many batches it runs', async () => {
    await scoreDevices({ registry, store, devices: devices(), now, batchSize: 3 });
    const before = liveTensorCount();
    await scoreDevices({ registry, store, devices: devices(), now, batchSize: 3 });
    expect(liveTensorCount()).toBe(before);
  });

  it('scores with a newly activated version at the next run, without a restart', async () => {
    const trained = await trainFleetModels({
      histories: () =>
        simulatedHistories({
          seed: 3,
          devices: 12,
          days: 45,
          from: trainFrom,
          models: purifiers,
          failureRate: 8,
        }),
      validation: () =>
        simulatedHistories({
          seed: 4,
          devices: 6,
          days: 45,
          from: trainFrom,
          models: purifiers,
          failureRate: 8,
        }),
      epochs: 2,
      hiddenUnits: [8],
    });
    const operator = createModelRegistry({ dataDir: dir });
    await operator.save(trained[0]!, { activate: true });
    const { risks } = await scoreDevices({ registry, store, devices: devices(), now, batchSize: 500 });
    expect(new Set(risks.map((r) => r.modelVersion))).toEqual(new Set(['v2']));
    await operator.rollback('water-purifier');
    const back = await scoreDevices({ registry, store, devices: devices(), now, batchSize: 500 });
    expect(new Set(back.risks.map((r) => r.modelVersion))).toEqual(new Set(['v1']));
    operator.close();
  });

  it("scores the past day by day into the store's risk history, once per data directory", async () => {
    const logger = createLogger({ level: 'silent' });
    const history = () =>
      ensureDemoRiskHistory({
        dataDir: dir,
        store,
        models: registry,
        devices: async () => devices(),
        historyUntil: now,
        days: 10,
        logger,
      });
    const first = now - 10 * DAY_MS;
    const days = Array.from({ length: 10 }, (_, i) => first + i * DAY_MS);
    // Nothing stored before: the risks of those days are the history's alone.
    expect(await store.risks({ from: first, to: now })).toEqual([]);

    const done = await history();
    expect(done).toMatchObject({ instants: 10 });
    const stored = await store.risks({ from: first, to: now, limit: 100_000 });
    expect(done?.risks).toBe(stored.length);
    // Each day scored as the scorer would have then: the same risks, time-stamped that day.
    const order = (risks: Risk[]) =>
      [...risks].sort(
        (a, b) => a.deviceId.localeCompare(b.deviceId) || a.failureMode.localeCompare(b.failureMode),
      );
    for (const at of [days[0]!, days[9]!]) {
      const then = await scoreDevices({ registry, store, devices: devices(), now: at, batchSize: 500 });
      expect(order(stored.filter((r) => r.scoredAt === at))).toEqual(order(then.risks));
    }
    expect([...new Set(stored.map((r) => r.scoredAt))]).toEqual(days);
    // The device that went quiet five days ago has a history until then, the silent one none.
    const quiet = stored.filter((r) => r.deviceId === stale.id).map((r) => r.scoredAt);
    expect(quiet.length).toBeGreaterThan(0);
    expect(Math.max(...quiet)).toBeLessThan(now - 5 * DAY_MS + DAY_MS);
    expect(stored.some((r) => r.deviceId === silent.id)).toBe(false);

    // A later start leaves it as it is.
    expect(await history()).toBeNull();
    expect(await store.risks({ from: first, to: now, limit: 100_000 })).toHaveLength(stored.length);
  });
});

describe('serviceRecordsLastService: the last service from the service database', () => {
  const clock = { now: Date.UTC(2026, 0, 1) };
  const planner: Actor = { id: 'user:planner', role: 'planner', customerId: null, technicianId: null };
  let db: ServiceDatabase;
  let repos: ReturnType<typeof createServiceRepositories>;
  let technicianId: string;

  /** A ticket a technician took from open to resolved at `at`. */
  async function repairedAt(deviceId: string, at: number, kind: 'corrective' | 'amc_visit' | 'installation') {
    clock.now = at - DAY_MS;
    const ticket = await repos.tickets.create({ kind, deviceId, description: 'Not cooling' }, planner);
    const tech: Actor = { id: `user:${technicianId}`, role: 'technician', customerId: null, technicianId };
    await repos.tickets.transition(
      ticket.id,
      { to: 'scheduled', technicianId, appointment: { start: at - 3_600_000, end: at } },
      planner,
    );
    await repos.tickets.transition(ticket.id, { to: 'dispatched' }, tech);
    clock.now = at - 3_600_000;
    await repos.tickets.transition(ticket.id, { to: 'on_site' }, tech);
    clock.now = at;
    await repos.tickets.transition(ticket.id, { to: 'resolved', reason: 'Cleaned the coil' }, tech);
  }

  beforeAll(async () => {
    db = await createDatabase({ file: ':memory:' });
    repos = createServiceRepositories(db, { clock: () => clock.now });
    for (const id of ['ac-1', 'ac-2', 'ac-3', 'ac-4'])
      await repos.devices.provision({ id, model: 'split-ac' });
    const partner = await repos.partners.createPartner({
      id: 'partner-1',
      name: 'Service centre',
      kind: 'authorised_centre',
      lat: 12.97,
      lon: 77.6,
      coverageRadiusKm: 25,
    });
    technicianId = (
      await repos.partners.createTechnician(partner.id, {
        id: 'tech-1',
        name: 'Technician',
        home: { lat: 12.96, lon: 77.59 },
        workingHours: { days: [1, 2, 3, 4, 5, 6], start: '09:00', end: '18:00', timezone: 'Asia/Kolkata' },
        dailyCapacityMinutes: 420,
        skills: [{ skill: 'general_service' }, { skill: 'electrical' }],
      })
    ).id;
    // ac-1: two repairs (the newer counts) and one after the scoring time (must not).
    await repairedAt('ac-1', Date.UTC(2026, 1, 1), 'corrective');
    await repairedAt('ac-1', Date.UTC(2026, 2, 1), 'amc_visit');
    await repairedAt('ac-1', Date.UTC(2026, 5, 1), 'corrective');
    // ac-2: only its installation; ac-3: a ticket fixed remotely, no visit; ac-4: a ticket still open.
    await repairedAt('ac-2', Date.UTC(2026, 1, 1), 'installation');
    clock.now = Date.UTC(2026, 1, 1);
    const remote = await repos.tickets.create(
      { kind: 'corrective', deviceId: 'ac-3', description: 'Error E4' },
      planner,
    );
    await repos.commands.resolveRemotely(
      remote.id,
      { reason: 'Reset cleared it', data: {} },
      systemActor('test'),
    );
    await repos.tickets.create({ kind: 'corrective', deviceId: 'ac-4', description: 'Noisy' }, planner);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('is the newest ticket a technician resolved by the scoring time; installs, remote fixes and open tickets do not count', async () => {
    const source = serviceRecordsLastService(db);
    const asOf = Date.UTC(2026, 3, 1);
    const known = await source.lastServiceAt(['ac-1', 'ac-2', 'ac-3', 'ac-4', 'ac-unknown'], asOf);
    expect([...known]).toEqual([['ac-1', Date.UTC(2026, 2, 1)]]);
    // Only the devices asked about come back.
    expect((await source.lastServiceAt(['ac-2'], asOf)).size).toBe(0);
  });
});
