import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  type DeviceCommand,
  type DeviceEvent,
  type DeviceModel,
  type Risk,
  type Ticket,
} from '@aftercare/core';
import { DeviceSimulator, fleetSpecs } from '@aftercare/device-sim';
import { createSqliteStore, type TelemetryStore } from '@aftercare/ingest';
import {
  createDatabase,
  createRemoteTroubleshooting,
  createRiskSink,
  createServiceRepositories,
  type RemoteTroubleshooting,
  type RiskAutomation,
  type ServiceDatabase,
  type ServiceRepositories,
  withRemoteTroubleshooting,
} from '@aftercare/service';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Wednesday 25 November 2026, 09:40 in Chennai. */
const start = Date.UTC(2026, 10, 25, 4, 10);
const sampleEvery = 5 * MINUTE;

interface Case {
  model: DeviceModel;
  failureMode: string;
  component: string;
  command: string;
  /** The degradation began this long before the ticket, and fails this long after its onset. */
  onsetDaysAgo: number;
  leadDays: number;
  driver: { metric: string; label: string; unit: string; change: number; direction: 'up' | 'down' };
  part: string | null;
}

const cases: Case[] = [
  {
    model: 'water-purifier',
    failureMode: 'controller_fault',
    component: 'control_board',
    command: 'reset_controller',
    onsetDaysAgo: 3,
    leadDays: 5,
    driver: {
      metric: 'pump_current_a',
      label: 'Booster pump current',
      unit: 'A',
      change: 0.07,
      direction: 'up',
    },
    part: null,
  },
  {
    model: 'refrigerator',
    failureMode: 'sensor_drift',
    component: 'control_board_sensor',
    command: 'recalibrate_sensor',
    onsetDaysAgo: 15,
    leadDays: 25,
    driver: {
      metric: 'cabinet_temp_c',
      label: 'Cabinet temperature',
      unit: '°C',
      change: -1,
      direction: 'down',
    },
    part: 'RF-SENSOR',
  },
];

interface World {
  dir: string;
  db: ServiceDatabase;
  store: TelemetryStore;
  repos: ServiceRepositories;
  time: { now: number };
  sim: DeviceSimulator;
  remote: RemoteTroubleshooting;
  risks: RiskAutomation;
  /** Commands the platform published, not yet taken by the device. */
  outbox: DeviceCommand[];
  answers: DeviceEvent[];
  /** False: the device answers `ok` to everything and does nothing (a firmware that only says so). */
  devicePerforms: boolean;
  technicianId: string;
}

/**
 * A customer's device whose failure mode the catalogue fixes remotely, its telemetry from the
 * simulator in a real SQLite telemetry store, the service on a real (in-memory) SQLite database with
 * a technician who works around the clock, and the remote troubleshooting with the simulated device
 * answering its commands as its MQTT link does.
 */
async function aWorld(c: Case): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-remote-telemetry-'));
  const store = createSqliteStore({ file: join(dir, 'telemetry.db'), retentionDays: 3650 });
  await store.init();
  const db = await createDatabase({ file: ':memory:' });
  // From a week before the degradation began: the baseline its readings are compared with.
  const time = { now: start - (c.onsetDaysAgo + 9) * DAY };
  const clock = () => time.now;
  const repos = createServiceRepositories(db, { clock });
  const logger = createLogger({ level: 'silent' });
  const [base] = fleetSpecs({
    seed: 17,
    devices: 1,
    models: { [c.model]: 1 },
    start: start - 30 * DAY,
    failureRate: 0,
    idPrefix: 'remote-telemetry-',
  });
  const onsetAt = start - c.onsetDaysAgo * DAY;
  const spec = {
    ...base!,
    failures: [{ failureMode: c.failureMode, onsetAt, failedAt: onsetAt + c.leadDays * DAY }],
  };
  const customer = await repos.customers.create({
    id: 'cust-remote-telemetry',
    name: 'Remote Telemetry Customer',
    kind: 'residential',
    contact: { email: 'remote-telemetry@example.com' },
  });
  const site = await repos.customers.createSite(customer.id, {
    name: 'Home',
    address: '12 Cathedral Road, Chennai',
    lat: 13.05,
    lon: 80.25,
  });
  await repos.devices.provision({ id: spec.id, model: c.model, customerId: customer.id, siteId: site.id });
  const partner = await repos.partners.createPartner({
    id: 'partner-remote-telemetry',
    name: 'Appliance care',
    kind: 'authorised_centre',
    lat: 13.04,
    lon: 80.24,
    coverageRadiusKm: 25,
  });
  const technician = await repos.partners.createTechnician(partner.id, {
    id: 'tech-remote-telemetry',
    name: 'Technician Remote',
    home: { lat: 13.03, lon: 80.24 },
    workingHours: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', timezone: 'Asia/Kolkata' },
    dailyCapacityMinutes: 900,
    skills: [{ skill: 'electronics' }],
  });
  if (c.part) {
    const depot = await repos.stock.createLocation({
      id: 'depot-remote-telemetry',
      name: 'Depot',
      kind: 'partner_depot',
      partnerId: partner.id,
      lat: 13.04,
      lon: 80.245,
    });
    await repos.stock.receive(depot.id, c.part, 1);
  }
  const outbox: DeviceCommand[] = [];
  const remote = createRemoteTroubleshooting({
    repositories: repos,
    publisher: {
      async publish(_deviceId, command) {
        outbox.push(command);
      },
    },
    logger,
    clock,
    store,
  });
  const risks = withRemoteTroubleshooting(
    createRiskSink({ repositories: repos, db, logger, clock }),
    remote,
    logger,
  );
  const sim = new DeviceSimulator(spec, time.now, { autoRepair: false });
  const w: World = {
    dir,
    db,
    store,
    repos,
    time,
    sim,
    remote,
    risks,
    outbox,
    answers: [],
    devicePerforms: true,
    technicianId: technician.id,
  };
  await advanceTo(w, start);
  return w;
}

/** The device streams its telemetry (and events) into the store until `at`, the platform's clock with it. */
async function advanceTo(w: World, at: number): Promise<void> {
  const points = [];
  const events = [];
  for (let ts = w.sim.currentTime + sampleEvery; ts <= at; ts += sampleEvery) {
    const tick = w.sim.step(ts, sampleEvery);
    points.push({ deviceId: tick.deviceId, model: tick.model, ts, metrics: tick.sample.metrics });
    for (const e of tick.events) events.push({ ...e, deviceId: tick.deviceId, model: tick.model });
  }
  await w.store.write(points);
  if (events.length > 0) await w.store.writeEvents(events);
  w.time.now = at;
}

/** The device takes the commands sent and answers them; the answers reach the platform as ingest hands them on. */
async function deviceAnswers(w: World): Promise<void> {
  for (const command of w.outbox.splice(0)) {
    const answer: DeviceEvent = w.devicePerforms
      ? w.sim.applyCommand(command, w.sim.currentTime)
      : {
          ts: w.sim.currentTime,
          type: 'command_result',
          code: 'ok',
          commandId: command.commandId,
          message: 'done',
        };
    w.answers.push(answer);
    w.time.now += 2_000;
    await w.remote.handleDeviceEvent(w.sim.spec.id, answer);
  }
}

describe.each(cases)('a remote fix of $failureMode judged by the telemetry', (c) => {
  let w: World;
  beforeEach(async () => {
    w = await aWorld(c);
  });
  afterEach(async () => {
    await w.db.destroy();
    await w.store.close();
    rmSync(w.dir, { recursive: true, force: true });
  });

  /** The model's score: the fault's past days keep it high for hours after the fault is gone. */
  const risk = (pFail: number): Risk => ({
    deviceId: w.sim.spec.id,
    model: c.model,
    component: c.component,
    failureMode: c.failureMode,
    pFail,
    daysLeft: 2,
    horizonDays: 14,
    modelVersion: `${c.model}@test`,
    scoredAt: w.time.now,
    dataUntil: w.time.now,
    drivers: [
      {
        ...c.driver,
        overDays: c.onsetDaysAgo,
        weight: 0.6,
        text: `${c.driver.label} ${c.driver.change} ${c.driver.unit} over ${c.onsetDaysAgo} days`,
      },
    ],
  });

  const tickets = async (): Promise<Ticket[]> =>
    (await w.repos.tickets.list({ deviceId: w.sim.spec.id, limit: 10, offset: 0 })).items;

  async function scoreAndAnswer(pFail: number): Promise<void> {
    await w.risks.acceptRisks([risk(pFail)]);
    await deviceAnswers(w);
  }

  it('resolves the ticket remotely once the fault’s readings are back, while the risk still reads the days before the fix', async () => {
    await scoreAndAnswer(0.97);
    const [opened] = await tickets();
    expect(opened).toMatchObject({ kind: 'predictive', status: 'scheduled', technicianId: w.technicianId });
    expect(w.answers).toMatchObject([{ code: 'ok', message: `cleared ${c.failureMode}` }]);
    expect(w.sim.openFailures()).toEqual([]);

    // An hour on: no complete hour of telemetry after the fix yet, the visit stays.
    await advanceTo(w, start + HOUR);
    await scoreAndAnswer(0.96);
    expect((await tickets())[0]).toMatchObject({ status: 'scheduled', technicianId: w.technicianId });

    // Three hours on, the risk (as the models score it) is still above p_open: the telemetry decides.
    await advanceTo(w, start + 3 * HOUR);
    await scoreAndAnswer(0.93);
    const [resolved] = await tickets();
    expect(resolved).toMatchObject({ status: 'resolved', technicianId: null, appointment: null });
    const detail = await w.repos.tickets.detail(resolved!.id);
    const last = detail.audit.at(-1)!;
    expect(last).toMatchObject({
      action: 'resolved_remotely',
      actor: 'system:remote-troubleshooting',
      data: { command: c.command, previousTechnicianId: w.technicianId },
    });
    expect(last.reason).toContain(
      `fixed remotely: ${c.command} answered ok (cleared ${c.failureMode}) and the telemetry shows the fault cleared: ${c.driver.metric}`,
    );
    if (c.part) expect(detail.reservations).toMatchObject([{ sku: c.part, status: 'released' }]);

    // Later scores, still high while the fault's days are in the models' windows, book nobody again.
    await advanceTo(w, start + 4 * HOUR);
    await scoreAndAnswer(0.9);
    const after = await tickets();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ status: 'resolved', technicianId: null });
    expect(w.answers).toHaveLength(1);
  });

  it('keeps the visit when the device answers ok but its readings still show the fault', async () => {
    w.devicePerforms = false;
    await scoreAndAnswer(0.97);
    expect(w.answers).toMatchObject([{ code: 'ok' }]);
    for (const hours of [3, 6]) {
      await advanceTo(w, start + hours * HOUR);
      await scoreAndAnswer(0.95);
      expect((await tickets())[0]).toMatchObject({ status: 'scheduled', technicianId: w.technicianId });
    }
  });
});
