import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Risk } from '@aftercare/core';
import { type DeviceSpec, type FleetRun, fleetSpecs, runFleet } from '@aftercare/device-sim';
import type { Actor } from '@aftercare/service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPlatform, startPlatform } from '../src/platform.ts';
import { Api, eventually } from './helpers.ts';
import { testPlatformConfig } from './platform-config.ts';

const token = 'remote-admin-token-0123456789';
const day = 86_400_000;
const admin: Actor = { id: 'admin', role: 'admin', customerId: null, technicianId: null };

/**
 * The whole remote troubleshooting leg on the running platform: the embedded aedes broker, ingest,
 * the API and the risk automation, with a simulated refrigerator whose temperature sensor has been
 * drifting, connected through the simulator's own MQTT device link.
 */
describe('remote troubleshooting over MQTT with the simulated device', () => {
  let platform: RunningPlatform;
  let api: Api;
  let dataDir: string;
  let fleet: FleetRun;
  let spec: DeviceSpec;
  let depotId: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'aftercare-remote-e2e-'));
    platform = await startPlatform({
      config: testPlatformConfig(dataDir, token),
      // Risks are handed in by the test: no model is trained here.
      scoring: false,
    });
    api = new Api(platform.httpUrl!, token);
    const repos = platform.repositories;

    const now = Date.now();
    const [fridge] = fleetSpecs({
      seed: 41,
      devices: 1,
      models: { refrigerator: 1 },
      start: now - 2 * 3_600_000,
      failureRate: 0,
      idPrefix: 'remote-',
    });
    spec = {
      ...fridge!,
      failures: [{ failureMode: 'sensor_drift', onsetAt: now - 6 * day, failedAt: now + 20 * day }],
    };
    const customer = await repos.customers.create({
      id: 'cust-remote',
      name: 'Remote Customer',
      kind: 'residential',
      contact: { email: 'remote@example.com' },
    });
    const site = await repos.customers.createSite(customer.id, {
      name: 'Home',
      address: '3 Residency Road, Bengaluru',
      lat: 12.975,
      lon: 77.605,
    });
    const { secret } = await repos.devices.provision({
      id: spec.id,
      model: 'refrigerator',
      customerId: customer.id,
      siteId: site.id,
    });
    const partner = await repos.partners.createPartner({
      id: 'partner-remote',
      name: 'Fridge care',
      kind: 'authorised_centre',
      lat: 12.97,
      lon: 77.6,
      coverageRadiusKm: 25,
    });
    // Works every day around the clock, so the visit is planned whatever day the test runs.
    await repos.partners.createTechnician(partner.id, {
      id: 'tech-remote',
      name: 'Technician Remote',
      home: { lat: 12.96, lon: 77.6 },
      workingHours: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', timezone: 'Asia/Kolkata' },
      dailyCapacityMinutes: 900,
      skills: [{ skill: 'electronics' }],
    });
    const depot = await repos.stock.createLocation({
      id: 'depot-remote',
      name: 'Depot',
      kind: 'partner_depot',
      partnerId: partner.id,
      lat: 12.972,
      lon: 77.603,
    });
    depotId = depot.id;
    await repos.stock.receive(depot.id, 'RF-SENSOR', 1);

    fleet = runFleet({
      mqttUrl: platform.mqttUrl,
      devices: [{ spec, secret }],
      speed: 600,
      intervalMs: 60_000,
      start: now - 2 * 3_600_000,
      autoRepair: false,
    });
    // Its first acknowledged telemetry comes after its SUBSCRIBE to the commands topic (one connection
    // is handled in order): from then on a command reaches it.
    await eventually(() => fleet.progress().messagesAcked > 0, 30_000, 'the simulated fridge streaming');
  });

  afterAll(async () => {
    await fleet?.stop();
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const driftRisk = (pFail: number): Risk => ({
    deviceId: spec.id,
    model: 'refrigerator',
    component: 'control_board_sensor',
    failureMode: 'sensor_drift',
    pFail,
    daysLeft: pFail >= 0.6 ? 9 : null,
    horizonDays: 14,
    modelVersion: 'refrigerator@e2e',
    scoredAt: Date.now(),
    dataUntil: Date.now() - 60_000,
    drivers: [],
  });

  const commandsOf = async (ticketId: string) => {
    const res = await api.get(`/api/tickets/${ticketId}/commands`);
    expect(res.status).toBe(200);
    return res.body.sent as {
      id: string;
      command: string;
      status: string;
      answerCode: string | null;
      answerMessage: string | null;
    }[];
  };

  let ticketId: string;

  it('sends the remote fix of a new predictive ticket to the device, which clears the fault and answers', async () => {
    expect(
      fleet
        .simulator(spec.id)
        .openFailures()
        .map((f) => f.failureMode),
    ).toEqual(['sensor_drift']);
    const [handled] = await platform.risks!.handleRisks([driftRisk(0.8)]);
    expect(handled).toMatchObject({ action: 'open', outcome: 'opened' });
    ticketId = handled!.ticketId!;
    const ticket = (await api.get(`/api/tickets/${ticketId}`)).body;
    expect(ticket).toMatchObject({ kind: 'predictive', status: 'scheduled', technicianId: 'tech-remote' });

    const [answered] = await eventually(
      async () => {
        const sent = await commandsOf(ticketId);
        return sent[0]?.status === 'answered' ? sent : undefined;
      },
      15_000,
      'the device’s answer on the ticket',
    );
    expect(answered).toMatchObject({
      command: 'recalibrate_sensor',
      answerCode: 'ok',
      answerMessage: 'cleared sensor_drift',
    });
    expect(fleet.simulator(spec.id).openFailures()).toEqual([]);
    const audit = (await api.get(`/api/tickets/${ticketId}`)).body.audit.map(
      (a: { action: string }) => a.action,
    );
    expect(audit).toEqual(expect.arrayContaining(['command_sent', 'command_answered']));
  });

  it('takes a planner’s command from the API to the device and records its answer', async () => {
    const res = await api.request('POST', `/api/tickets/${ticketId}/commands`, { command: 'ping' });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('sent');
    const answered = await eventually(
      async () => (await commandsOf(ticketId)).find((c) => c.id === res.body.id && c.status === 'answered'),
      15_000,
      'the answer to ping',
    );
    expect(answered).toMatchObject({ answerCode: 'ok', answerMessage: 'pong' });
  });

  it('resolves the ticket as fixed remotely when the risk clears: nobody travels, the part goes back', async () => {
    const before = (await api.get(`/api/tickets/${ticketId}`)).body;
    expect(before.reservations).toMatchObject([{ sku: 'RF-SENSOR', status: 'reserved' }]);

    await platform.risks!.handleRisks([driftRisk(0.1)]);

    const after = (await api.get(`/api/tickets/${ticketId}`)).body;
    expect(after).toMatchObject({ status: 'resolved', technicianId: null, appointment: null });
    expect(after.reservations).toMatchObject([{ sku: 'RF-SENSOR', status: 'released' }]);
    expect(after.audit.at(-1)).toMatchObject({
      action: 'resolved_remotely',
      actor: 'system:remote-troubleshooting',
      data: { command: 'recalibrate_sensor', previousTechnicianId: 'tech-remote' },
    });
    expect((await platform.repositories.stock.level(depotId, 'RF-SENSOR'))!.available).toBe(1);
    // The technician's day no longer holds the job.
    const jobs = await platform.repositories.tickets.list({
      technicianId: 'tech-remote',
      limit: 10,
      offset: 0,
    });
    expect(jobs.items).toEqual([]);
  });

  it('refuses a command the ticket does not offer, and records nothing', async () => {
    const other = await platform.repositories.tickets.create(
      { kind: 'corrective', deviceId: spec.id, description: 'Noisy', failureMode: 'compressor_wear' },
      admin,
    );
    const res = await api.request('POST', `/api/tickets/${other.id}/commands`, {
      command: 'recalibrate_sensor',
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^body\.command: recalibrate_sensor does not apply/);
    expect(await commandsOf(other.id)).toEqual([]);
  });
});
