import { createLogger, type Risk, type Ticket } from '@aftercare/core';
import type { TelemetryPoint } from '@aftercare/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixVerifier, type FixVerifier } from '../src/operations/fix-verifier.ts';
import type { Actor } from '../src/principal.ts';
import { aCustomer, aDevice, aPartner, aSite, aTechnician, day, hour } from './support/factories.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

/*
 * Two split ACs with compressor wear, both "repaired" on the same day. One device's current,
 * discharge temperature and vibration come back to where they were and its risk falls; the other's
 * keep climbing as if nobody had touched it. The verifier reads both from the real telemetry store.
 */

const onsetAt = Date.UTC(2026, 10, 5);
const resolvedAt = Date.UTC(2026, 10, 15, 6);
const observationDays = 3;
const planner: Actor = { id: 'user:planner', role: 'planner', customerId: null, technicianId: null };
const tech = (technicianId: string): Actor => ({
  id: `user:${technicianId}`,
  role: 'technician',
  customerId: null,
  technicianId,
});

/** Healthy levels of the compressor-wear signature, and how far each drifts by the repair. */
const healthy = { compressor_current_a: 6, discharge_temp_c: 75, vibration_mm_s: 1.5 };
const drift = { compressor_current_a: 1.8, discharge_temp_c: 14, vibration_mm_s: 1.2 };

/** Hourly samples from two weeks before onset to `until`; `repaired` brings the device back to health. */
function telemetry(deviceId: string, repaired: boolean, until: number): TelemetryPoint[] {
  const points: TelemetryPoint[] = [];
  for (let ts = onsetAt - 14 * day, i = 0; ts < until; ts += hour, i++) {
    const wear = ts <= onsetAt || (repaired && ts > resolvedAt) ? 0 : (ts - onsetAt) / (resolvedAt - onsetAt);
    const wobble = Math.sin(i / 3) * 0.01;
    const metrics: Record<string, number> = {};
    for (const [metric, level] of Object.entries(healthy))
      metrics[metric] = level * (1 + wobble) + wear * drift[metric as keyof typeof drift];
    points.push({ deviceId, model: 'split-ac', ts, metrics });
  }
  return points;
}

/** Daily compressor-wear scores: high through the repair, then low or still high. */
function risks(deviceId: string, recovered: boolean, until: number): Risk[] {
  const out: Risk[] = [];
  for (let at = onsetAt + day; at < until; at += day) {
    const pFail =
      at < resolvedAt ? Math.min(0.9, 0.3 + (at - onsetAt) / (12 * day)) : recovered ? 0.08 : 0.85;
    out.push({
      deviceId,
      model: 'split-ac',
      component: 'compressor',
      failureMode: 'compressor_wear',
      pFail,
      daysLeft: pFail >= 0.6 ? 5 : null,
      horizonDays: 14,
      modelVersion: 'split-ac@test',
      scoredAt: at,
      dataUntil: at - 60_000,
      drivers: [],
    });
  }
  return out;
}

describe('the fix verifier', () => {
  let service: ServiceHarness;
  const time = { now: onsetAt + 9 * day };
  let verifier: FixVerifier;
  let fixed: Ticket;
  let untouched: Ticket;
  let noFailureMode: Ticket;

  /** A predictive ticket opened on the 10th day of wear and resolved on site on `resolvedAt`. */
  async function resolvedTicket(
    deviceId: string,
    technicianId: string,
    failureMode?: string,
  ): Promise<Ticket> {
    time.now = resolvedAt - day;
    const ticket = await service.repos.tickets.create(
      {
        kind: failureMode === undefined ? 'corrective' : 'predictive',
        deviceId,
        description: 'Compressor wear predicted',
        ...(failureMode === undefined
          ? {}
          : {
              failureMode,
              evidence: {
                pFail: 0.8,
                daysLeft: 5,
                horizonDays: 14,
                modelVersion: 'split-ac@test',
                scoredAt: time.now,
                dataUntil: time.now,
                drivers: [
                  {
                    metric: 'discharge_temp_c',
                    label: 'Discharge temperature',
                    unit: '°C',
                    change: 12,
                    overDays: 9,
                    direction: 'up',
                    weight: 0.6,
                    text: 'Discharge temperature +12 °C over 9 days',
                  },
                ],
              },
            }),
      },
      planner,
    );
    const slot = { start: resolvedAt - 4 * hour, end: resolvedAt };
    await service.repos.tickets.transition(
      ticket.id,
      { to: 'scheduled', technicianId, appointment: slot },
      planner,
    );
    await service.repos.tickets.transition(ticket.id, { to: 'dispatched' }, tech(technicianId));
    time.now = slot.start;
    await service.repos.tickets.transition(ticket.id, { to: 'on_site' }, tech(technicianId));
    time.now = resolvedAt;
    return service.repos.tickets.transition(
      ticket.id,
      { to: 'resolved', reason: 'Replaced the compressor' },
      tech(technicianId),
    );
  }

  beforeAll(async () => {
    service = await startService({ clock: () => time.now });
    const { repos, store } = service;
    const customer = await repos.customers.create(aCustomer());
    const site = await repos.customers.createSite(customer.id, aSite());
    const devices = [];
    for (let i = 0; i < 3; i++)
      devices.push(
        (await repos.devices.provision(aDevice({ customerId: customer.id, siteId: site.id }))).device,
      );
    const partner = await repos.partners.createPartner(aPartner());
    const technician = await repos.partners.createTechnician(partner.id, aTechnician());
    const until = resolvedAt + 6 * day;
    await store.write(telemetry(devices[0]!.id, true, until));
    await store.write(telemetry(devices[1]!.id, false, until));
    await store.writeRisks([...risks(devices[0]!.id, true, until), ...risks(devices[1]!.id, false, until)]);
    fixed = await resolvedTicket(devices[0]!.id, technician.id, 'compressor_wear');
    untouched = await resolvedTicket(devices[1]!.id, technician.id, 'compressor_wear');
    noFailureMode = await resolvedTicket(devices[2]!.id, technician.id);
    verifier = createFixVerifier({
      repositories: repos,
      store,
      logger: createLogger({ level: 'silent' }),
      clock: () => time.now,
      observationDays,
    });
  });
  afterAll(() => service.close());

  const statusOf = async (ticket: Ticket) => (await service.api(`/api/tickets/${ticket.id}`)).body.status;

  it('leaves a repair alone while nothing has recovered yet and its observation period runs', async () => {
    const report = await verifier.runOnce(resolvedAt + 2 * hour);
    expect(report).toMatchObject({ checked: 3, verified: [], flagged: [], pending: 2 });
    expect(report!.skipped).toEqual([{ ticketId: noFailureMode.id, reason: 'no failure mode to measure' }]);
    expect(await statusOf(fixed)).toBe('resolved');
    expect(await statusOf(untouched)).toBe('resolved');
  });

  it('verifies the ticket whose degraded metrics recovered and whose risk fell', async () => {
    time.now = resolvedAt + 5 * day;
    const report = await verifier.runOnce();
    expect(report!.verified.map((v) => v.ticketId)).toEqual([fixed.id]);
    const detail = (await service.api(`/api/tickets/${fixed.id}`)).body;
    expect(detail.status).toBe('verified');
    expect(detail.audit.at(-1)).toMatchObject({
      action: 'verified',
      fromStatus: 'resolved',
      toStatus: 'verified',
      actor: 'system:fix-verifier',
    });
    expect(detail.audit.at(-1).reason).toMatch(
      /^telemetry recovered: .*compressor_current_a.*discharge_temp_c.* recovered and the risk fell$/,
    );
  });

  it('flags the ticket where nothing measurable changed once the agreed days passed, visibly in the API', async () => {
    const detail = (await service.api(`/api/tickets/${untouched.id}`)).body;
    expect(detail.status).toBe('flagged_for_review');
    expect(detail.audit.at(-1)).toMatchObject({ action: 'flagged_for_review', actor: 'system:fix-verifier' });
    expect(detail.audit.at(-1).reason).toMatch(
      /^nothing measurable changed: signature metrics did not recover \(compressor_current_a -?\d+%/,
    );
    const flagged = await service.api('/api/tickets?status=flagged_for_review');
    expect(flagged.body.items.map((t: Ticket) => t.id)).toEqual([untouched.id]);
  });

  it('changes nothing when it runs again', async () => {
    const auditLength = async (t: Ticket) => (await service.repos.tickets.detail(t.id)).audit.length;
    const before = [await auditLength(fixed), await auditLength(untouched)];
    const report = await verifier.runOnce();
    expect(report).toMatchObject({ checked: 1, verified: [], flagged: [], pending: 0 });
    expect([await auditLength(fixed), await auditLength(untouched)]).toEqual(before);
  });

  it('refuses a cron expression that is not one, naming a valid example', () => {
    expect(() =>
      createFixVerifier({
        repositories: service.repos,
        store: service.store,
        logger: createLogger({ level: 'silent' }),
        cron: 'every hour',
      }),
    ).toThrow(/fix verifier cron "every hour" is not a valid cron expression.*"15 \* \* \* \*"/);
  });
});
