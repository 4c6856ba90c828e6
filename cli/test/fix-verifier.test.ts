import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Risk, Ticket } from '@aftercare/core';
import { DeviceSimulator, type DeviceSpec, fleetSpecs } from '@aftercare/device-sim';
import type { Actor } from '@aftercare/service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPlatform, startPlatform } from '../src/platform.ts';
import { Api } from './helpers.ts';
import { testPlatformConfig } from './platform-config.ts';

const token = 'verifier-admin-token-0123456789';
const hour = 3_600_000;
const day = 24 * hour;
const admin: Actor = { id: 'admin', role: 'admin', customerId: null, technicianId: null };
const technician: Actor = {
  id: 'user:tech-verify',
  role: 'technician',
  customerId: null,
  technicianId: 'tech-verify',
};

/**
 * The fix verifier of the running platform, judged on the simulator's telemetry: two devices of a
 * model whose compressors wear the same way; both tickets are resolved at the same moment, but only
 * one device is really repaired in the simulator. Hourly samples are written to the platform's store
 * as ingest would; the risk scores are handed in (no model is trained here). The air conditioner's
 * compressor runs only some hours of a November day, so its wear shows in the running hours only.
 */
describe.each([
  ['refrigerator', 'compressor_duty_pct', 'Compressor duty cycle'],
  ['split-ac', 'compressor_current_a', 'Compressor current'],
] as const)('the fix verifier over simulated telemetry of a %s', (model, driverMetric, driverLabel) => {
  let platform: RunningPlatform;
  let api: Api;
  let dataDir: string;
  let repairedTicket: Ticket;
  let untouchedTicket: Ticket;
  let resolvedAt: number;

  /** A predictive compressor-wear ticket walked to resolved by the technician, now. */
  async function resolveTicket(deviceId: string, onsetAt: number): Promise<Ticket> {
    const now = Date.now();
    const repos = platform.repositories;
    const ticket = await repos.tickets.create(
      {
        kind: 'predictive',
        deviceId,
        description: 'Compressor wear predicted',
        failureMode: 'compressor_wear',
        evidence: {
          pFail: 0.8,
          daysLeft: 3,
          horizonDays: 14,
          modelVersion: `${model}@e2e`,
          scoredAt: now,
          dataUntil: now,
          drivers: [
            {
              metric: driverMetric,
              label: driverLabel,
              unit: '%',
              change: 15,
              overDays: Math.round((now - onsetAt) / day),
              direction: 'up',
              weight: 0.6,
              text: `${driverLabel} up`,
            },
          ],
        },
      },
      admin,
    );
    await repos.tickets.transition(
      ticket.id,
      { to: 'scheduled', technicianId: 'tech-verify', appointment: { start: now, end: now + 2 * hour } },
      admin,
    );
    await repos.tickets.transition(ticket.id, { to: 'dispatched' }, technician);
    await repos.tickets.transition(ticket.id, { to: 'on_site' }, technician);
    return repos.tickets.transition(ticket.id, { to: 'resolved', reason: 'Compressor replaced' }, technician);
  }

  /** The device's hourly telemetry from `from` to `to`, repaired at `repairAt` when given. */
  async function simulate(
    spec: DeviceSpec,
    from: number,
    to: number,
    repairAt: number | null,
  ): Promise<void> {
    const sim = new DeviceSimulator(spec, from, { autoRepair: false });
    const points = [];
    for (let ts = from + hour; ts <= to; ts += hour) {
      if (repairAt !== null && ts > repairAt && ts - hour <= repairAt) {
        expect(sim.repair(repairAt).cleared.map((c) => c.failureMode)).toEqual(['compressor_wear']);
      }
      const tick = sim.step(ts, hour);
      points.push({ deviceId: spec.id, model: spec.model, ts: tick.sample.ts, metrics: tick.sample.metrics });
    }
    await platform.store.write(points);
  }

  /** Daily scores of the compressor: rising to the repair, then low where it was repaired. */
  function scores(deviceId: string, from: number, to: number, repaired: boolean): Risk[] {
    const out: Risk[] = [];
    for (let at = from; at <= to; at += day) {
      const pFail = at <= resolvedAt ? 0.8 : repaired ? 0.06 : 0.85;
      out.push({
        deviceId,
        model,
        component: 'compressor',
        failureMode: 'compressor_wear',
        pFail,
        daysLeft: pFail > 0.5 ? 3 : null,
        horizonDays: 14,
        modelVersion: `${model}@e2e`,
        scoredAt: at,
        dataUntil: at - 60_000,
        drivers: [],
      });
    }
    return out;
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'aftercare-verifier-e2e-'));
    platform = await startPlatform({
      config: testPlatformConfig(dataDir, token),
      scoring: false,
    });
    api = new Api(platform.httpUrl!, token);
    const repos = platform.repositories;
    const partner = await repos.partners.createPartner({
      id: 'partner-verify',
      name: 'Cool service',
      kind: 'authorised_centre',
      lat: 12.97,
      lon: 77.6,
      coverageRadiusKm: 25,
    });
    await repos.partners.createTechnician(partner.id, {
      id: 'tech-verify',
      name: 'Technician Verify',
      home: { lat: 12.96, lon: 77.6 },
      workingHours: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', timezone: 'Asia/Kolkata' },
      dailyCapacityMinutes: 900,
      skills: [{ skill: 'refrigeration', certificateId: 'RAC-V', certifiedUntil: Date.UTC(2035, 0, 1) }],
    });

    const now = Date.now();
    const onsetAt = now - 12 * day;
    const specs = fleetSpecs({
      seed: 7,
      devices: 2,
      models: { [model]: 2 },
      start: now,
      failureRate: 0,
      idPrefix: 'verify-',
    }).map(
      (spec): DeviceSpec => ({
        ...spec,
        failures: [{ failureMode: 'compressor_wear', onsetAt, failedAt: now + 4 * day }],
      }),
    );
    for (const spec of specs) await repos.devices.provision({ id: spec.id, model });
    repairedTicket = await resolveTicket(specs[0]!.id, onsetAt);
    untouchedTicket = await resolveTicket(specs[1]!.id, onsetAt);
    resolvedAt = repairedTicket.resolvedAt!;

    // The simulator's history around the repair, up to eight days after it.
    const from = onsetAt - 12 * day;
    const to = resolvedAt + 8 * day;
    await simulate(specs[0]!, from, to, repairedTicket.resolvedAt!);
    await simulate(specs[1]!, from, to, null);
    await platform.store.writeRisks([
      ...scores(specs[0]!.id, onsetAt, to, true),
      ...scores(specs[1]!.id, onsetAt, to, false),
    ]);
  });

  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs beside the AMC scheduler in the platform', () => {
    expect(platform.fixVerifier).not.toBeNull();
    expect(platform.fixVerifier!.cron).toBe('15 * * * *');
  });

  it('verifies the ticket whose degraded metrics recovered after the repair in the simulator', async () => {
    const report = await platform.fixVerifier!.runOnce(resolvedAt + 8 * day);
    expect(report!.verified.map((v) => v.ticketId)).toEqual([repairedTicket.id]);
    const detail = (await api.get(`/api/tickets/${repairedTicket.id}`)).body;
    expect(detail.status).toBe('verified');
    expect(detail.audit.at(-1)).toMatchObject({ action: 'verified', actor: 'system:fix-verifier' });
    expect(detail.audit.at(-1).reason).toMatch(/^telemetry recovered: .+ recovered and the risk fell$/);
  });

  it('flags the ticket where nothing measurable changed, and the API shows the flag', async () => {
    const detail = (await api.get(`/api/tickets/${untouchedTicket.id}`)).body;
    expect(detail.status).toBe('flagged_for_review');
    expect(detail.audit.at(-1)).toMatchObject({ action: 'flagged_for_review', actor: 'system:fix-verifier' });
    expect(detail.audit.at(-1).reason).toMatch(/^nothing measurable changed: /);
    const flagged = (await api.get('/api/tickets?status=flagged_for_review')).body;
    expect(flagged.items.map((t: Ticket) => t.id)).toEqual([untouchedTicket.id]);
  });
});
