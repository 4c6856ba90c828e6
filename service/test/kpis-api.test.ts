import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalog, createLogger, type DeviceModel, deviceModels, mixSeed, Rng } from '@aftercare/core';
import { createModelRegistry } from '@aftercare/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/app.ts';
import { haversineKm, offsetPosition } from '../src/automation/geo.ts';
import { chennaiMetro } from '../src/automation/metro-region.ts';
import { type DemoFleetDevice, seedDemoWorld } from '../src/operations/demo-seed.ts';
import {
  type DemoHistoryFailure,
  type DemoHistoryResult,
  seedDemoHistory,
} from '../src/operations/demo-seed-history.ts';
import { areaOfAddress } from '../src/operations/kpi-records.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

/*
 * The KPI, trend and scorecard API over real HTTP and the real database, on the demo world with a year
 * of service history written by seedDemoHistory (what `pnpm start` writes): the figures must add up to
 * the history that was written, whichever way they are grouped or filtered.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const now = Date.UTC(2026, 10, 25, 3, 30);
const from = now - 365 * DAY_MS;
const until = now - 2 * HOUR_MS;
const logger = createLogger({ level: 'silent' });

/** A fleet on the Chennai disc, as the simulator lays it out. */
function aFleet(count: number): DemoFleetDevice[] {
  return Array.from({ length: count }, (_, i) => {
    const model: DeviceModel = deviceModels[i % deviceModels.length]!;
    return {
      id: `sim-${model.slice(0, 2)}-${String(i + 1).padStart(5, '0')}`,
      model,
      position: offsetPosition(chennaiMetro.center, 1 + (i * 17) / count, i * 2.4),
      installedAt: now - (400 + ((i * 37) % 700)) * DAY_MS,
      serial: `SN-${i + 1}`,
    };
  });
}

/**
 * The fleet's failures as the simulator's ground truth gives them (see cli's demo-history.ts): a
 * catalogue failure mode with its typical lead, caught by a predictive visit or repaired after it failed.
 */
function groundTruth(fleet: readonly DemoFleetDevice[]): DemoHistoryFailure[] {
  const failures: DemoHistoryFailure[] = [];
  for (const [i, device] of fleet.entries()) {
    const rng = new Rng(mixSeed(11, i));
    for (let k = 0; k < 1 + (i % 3); k++) {
      const mode = rng.pick(catalog[device.model].failureModes);
      const leadMs = ((mode.leadDays[0] + mode.leadDays[1]) / 2) * DAY_MS;
      const failedAt = Math.round((from + (40 + k * 110 + rng.uniform(0, 90)) * DAY_MS) / HOUR_MS) * HOUR_MS;
      const onsetAt = failedAt - leadMs;
      const flaggedAt = Math.round((onsetAt + leadMs * 0.5) / HOUR_MS) * HOUR_MS;
      const caught = rng.next() < 0.7;
      failures.push({
        deviceId: device.id,
        model: device.model,
        failureMode: mode.id,
        component: mode.component,
        onsetAt,
        failedAt,
        outcome: caught ? 'caught' : 'failed',
        flaggedAt: caught ? flaggedAt : null,
        repairAt: caught
          ? Math.round((flaggedAt + Math.min(DAY_MS, (failedAt - flaggedAt) / 2)) / HOUR_MS) * HOUR_MS
          : failedAt + Math.round(rng.uniform(24, 90)) * HOUR_MS,
      });
    }
  }
  return failures;
}

const sum = <T>(items: readonly T[], pick: (item: T) => number) => items.reduce((s, x) => s + pick(x), 0);

describe('the KPI, trend and scorecard API over a year of demo history', () => {
  let service: ServiceHarness;
  let history: DemoHistoryResult;
  let planner: string;
  const fleet = aFleet(40);

  beforeAll(async () => {
    service = await startService({ clock: () => now });
    for (const d of fleet) {
      await service.repos.devices.provision({
        id: d.id,
        model: d.model,
        location: d.position,
        installedAt: new Date(d.installedAt).toISOString(),
      });
    }
    await seedDemoWorld({
      repositories: service.repos,
      devices: fleet,
      seed: 7,
      now,
      demoPassword: 'demo password for the tests',
      logger,
    });
    history = await seedDemoHistory({
      db: service.db,
      failures: groundTruth(fleet),
      from,
      until,
      seed: 7,
      logger,
    });
    planner = await service.tokenFor('planner');
  }, 120_000);
  afterAll(() => service?.close());

  const get = async (path: string, token = planner) => {
    const res = await service.api(path, { token });
    expect(res.status, res.text).toBe(200);
    return res.body;
  };

  it('counts the failures the history caught and the ones that happened, overall and per group', async () => {
    expect(history.refused).toBe(0);
    expect(history.tickets.predictive).toBeGreaterThan(20);
    expect(history.tickets.corrective).toBeGreaterThan(5);
    const report = await get('/api/kpis?groupBy=partner');
    expect(report.overall).toMatchObject({
      failuresPrevented: history.tickets.predictive,
      failuresHappened: history.tickets.corrective,
    });
    expect(report.overall.preventionRate).toBeCloseTo(
      history.tickets.predictive / (history.tickets.predictive + history.tickets.corrective),
    );
    // Every job of the history was done by a partner's technician: the partners add up to the whole.
    expect(sum(report.groups, (g: { kpis: { failuresPrevented: number } }) => g.kpis.failuresPrevented)).toBe(
      history.tickets.predictive,
    );
    expect(report.groups[0].label).not.toBe(report.groups[0].key);
    for (const figure of ['slaCompliance', 'firstTimeFixRate', 'verifiedFixRate', 'partsFillRate'])
      expect(report.overall[figure]).toBeGreaterThan(0.5);
    expect(report.overall.csatMean).toBeGreaterThanOrEqual(1);
    expect(report.overall.npsScore).toBeGreaterThanOrEqual(-100);
    expect(report.overall.utilisation).toBeGreaterThan(0);

    const byMonth = await get('/api/kpis?groupBy=month');
    expect(byMonth.groups.map((g: { key: string }) => g.key)).toEqual(
      [...byMonth.groups.map((g: { key: string }) => g.key)].sort(),
    );
    expect(byMonth.groups.at(-1).label).toBe('Nov 2026');
    const byModel = await get('/api/kpis?groupBy=model');
    expect(byModel.groups.map((g: { key: string }) => g.key).sort()).toEqual([...deviceModels].sort());
    expect(sum(byModel.groups, (g: { kpis: { failuresHappened: number } }) => g.kpis.failuresHappened)).toBe(
      history.tickets.corrective,
    );
  });

  it('shows trends whose cells, months and models add up to the same failures', async () => {
    const trends = await get('/api/trends');
    const caught = sum(trends.cells, (c: { caught: number }) => c.caught);
    const failures = sum(trends.cells, (c: { failures: number }) => c.failures);
    expect(caught).toBe(history.tickets.predictive);
    expect(failures).toBe(history.tickets.corrective);
    expect(sum(trends.months, (m: { caught: number }) => m.caught)).toBe(caught);
    expect(sum(trends.models, (m: { failures: number }) => m.failures)).toBe(failures);
    // Every predictive ticket is over: it either found the fault or nothing.
    expect(sum(trends.cells, (c: { predicted: number }) => c.predicted)).toBe(
      history.tickets.predictive + history.tickets.falseAlarms,
    );
    expect(sum(trends.cells, (c: { falseAlarms: number }) => c.falseAlarms)).toBe(
      history.tickets.falseAlarms,
    );
    // Twelve calendar months, the current one to date.
    expect(trends.months.length).toBe(12);
    expect(trends.months.every((m: { devices: number }) => m.devices === fleet.length)).toBe(true);
    for (const m of trends.models) {
      expect(m.devices).toBe(fleet.filter((d) => d.model === m.model).length);
      if (m.failures > 0) expect(m.mtbfDays).toBeGreaterThan(30);
    }
    expect(trends.partners).toHaveLength(10);
    expect(trends.regions.length).toBeGreaterThan(3);
  });

  it('narrows the figures by model, region, partner and period', async () => {
    const all = await get('/api/trends');
    const washers = await get('/api/trends?model=washing-machine');
    expect(washers.cells.every((c: { model: string }) => c.model === 'washing-machine')).toBe(true);
    expect(washers.models.map((m: { model: string }) => m.model)).toEqual(['washing-machine']);

    const region = all.regions[0];
    const local = await get(`/api/trends?region=${encodeURIComponent(region)}`);
    expect(local.months[0].devices).toBeGreaterThan(0);
    expect(local.months[0].devices).toBeLessThan(fleet.length);

    const cards = (await get('/api/scorecards')).items;
    const busiest = [...cards].sort((a: { jobs: number }, b: { jobs: number }) => b.jobs - a.jobs)[0];
    const one = await get(`/api/kpis?partnerId=${busiest.partnerId}&groupBy=technician`);
    expect(one.overall).toEqual(busiest.kpis);
    expect(one.filter.partnerId).toBe(busiest.partnerId);

    const lastQuarter = await get(`/api/trends?from=${new Date(now - 91 * DAY_MS).toISOString()}`);
    expect(lastQuarter.months.length).toBeLessThanOrEqual(4);
    expect(sum(lastQuarter.months, (m: { caught: number }) => m.caught)).toBeLessThan(
      sum(all.months, (m: { caught: number }) => m.caught),
    );
  });

  /**
   * Each device's partner, the one that services its site: the nearest whose coverage reaches the
   * site, else the nearest (the partner a site's AMC visits go to).
   */
  async function partnerOfEachDevice(): Promise<Map<string, string>> {
    const partners = await service.db
      .selectFrom('service_partners')
      .select(['id', 'lat', 'lon', 'coverage_radius_km'])
      .execute();
    const devices = await service.db
      .selectFrom('devices')
      .innerJoin('sites', 'sites.id', 'devices.site_id')
      .select(['devices.id', 'sites.lat', 'sites.lon'])
      .execute();
    return new Map(
      devices.map((d) => {
        const byDistance = partners.map((p) => ({ p, km: haversineKm(p, d) })).sort((a, b) => a.km - b.km);
        return [d.id, (byDistance.find((x) => x.km <= x.p.coverage_radius_km) ?? byDistance[0]!).p.id];
      }),
    );
  }

  it("counts a partner's trends over its devices, those at the sites it services, whoever repaired them", async () => {
    const all = await get('/api/trends');
    const partnerOf = await partnerOfEachDevice();
    expect([...partnerOf.keys()].sort()).toEqual(fleet.map((d) => d.id).sort());
    const failureTickets = await service.db
      .selectFrom('tickets')
      .leftJoin('technicians', 'technicians.id', 'tickets.technician_id')
      .select(['tickets.device_id', 'technicians.partner_id'])
      .where('tickets.kind', '=', 'corrective')
      .where('tickets.failure_mode', 'is not', null)
      .where('tickets.status', '!=', 'cancelled')
      .where('tickets.created_at', '>=', all.filter.from)
      .where('tickets.created_at', '<', all.filter.to)
      .execute();
    // Every device of the fleet was installed before the period: in service all of it.
    const periodDays = (all.filter.to - all.filter.from) / DAY_MS;
    let repairedByAnother = 0;
    const totals = { devices: 0, failures: 0, caught: 0, predicted: 0 };
    for (const { id } of all.partners) {
      const trends = await get(`/api/trends?partnerId=${id}`);
      const mine = fleet.filter((d) => partnerOf.get(d.id) === id);
      // Each month counts the partner's devices, not the whole fleet.
      for (const m of trends.months) expect(m.devices, `${id} ${m.month}`).toBe(mine.length);
      // Its failures are those of its devices, whoever's technician repaired them.
      const failures = failureTickets.filter((t) => partnerOf.get(t.device_id) === id);
      repairedByAnother += failures.filter((t) => t.partner_id !== id).length;
      expect(
        sum(trends.months, (m: { failures: number }) => m.failures),
        id,
      ).toBe(failures.length);
      // MTBF: the device-days of the partner's devices of the model, over their failures.
      for (const model of trends.models) {
        const devices = mine.filter((d) => d.model === model.model).length;
        expect(model.devices, `${id} ${model.model}`).toBe(devices);
        if (model.failures > 0)
          expect(model.mtbfDays, `${id} ${model.model}`).toBeCloseTo(
            (devices * periodDays) / model.failures,
            6,
          );
      }
      totals.devices += trends.months[0].devices;
      for (const figure of ['failures', 'caught', 'predicted'] as const)
        totals[figure] += sum(trends.cells, (c: Record<typeof figure, number>) => c[figure]);
    }
    // Every device has one partner: the partners' trends add up to the fleet's.
    expect(totals).toEqual({
      devices: fleet.length,
      failures: sum(all.cells, (c: { failures: number }) => c.failures),
      caught: sum(all.cells, (c: { caught: number }) => c.caught),
      predicted: sum(all.cells, (c: { predicted: number }) => c.predicted),
    });
    // The history's technicians work beyond their partner's sites: the definition matters here.
    expect(repairedByAnother).toBeGreaterThan(0);
  });

  it('keeps a scorecard per partner with SLA, fixes, ratings and defective parts returned', async () => {
    const { items } = await get('/api/scorecards');
    expect(items).toHaveLength(10);
    const jobs = await service.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('technician_id', 'is not', null)
      .where('status', '!=', 'cancelled')
      .executeTakeFirstOrThrow();
    expect(sum(items, (c: { jobs: number }) => c.jobs)).toBe(Number(jobs.n));
    for (const card of items) {
      expect(card.partsReturned).toBeLessThanOrEqual(card.partsToReturn);
      if (card.jobs > 0) expect(card.kpis.slaCompliance).not.toBeNull();
    }
    expect(sum(items, (c: { partsReturned: number }) => c.partsReturned)).toBeGreaterThan(0);
    const card = items.find((c: { jobs: number }) => c.jobs > 0);
    expect(await get(`/api/partners/${card.partnerId}/scorecard`)).toEqual(card);
    expect((await service.api('/api/partners/no-such-partner/scorecard', { token: planner })).status).toBe(
      404,
    );
  });

  it('answers planners and admins, and no one else', async () => {
    expect((await service.api('/api/kpis', { token: null })).status).toBe(401);
    const technicianId = (await service.repos.partners.listTechnicians({ limit: 1, offset: 0 })).items[0]!.id;
    const technician = await service.tokenFor('technician', technicianId);
    const customerId = (await service.repos.customers.list({ limit: 1, offset: 0 })).items[0]!.id;
    const customer = await service.tokenFor('customer', customerId);
    for (const path of ['/api/kpis', '/api/trends', '/api/scorecards']) {
      expect((await service.api(path, { token: technician })).status).toBe(403);
      expect((await service.api(path, { token: customer })).status).toBe(403);
      expect((await service.api(path)).status).toBe(200);
    }
  });

  it('refuses a bad query with a 400 that names the field', async () => {
    const grouping = await service.api('/api/kpis?groupBy=year', { token: planner });
    expect(grouping.status).toBe(400);
    expect(grouping.text).toMatch(/groupBy/);
    const backwards = await service.api(`/api/trends?from=${now}&to=${now - DAY_MS}`, { token: planner });
    expect(backwards.status).toBe(400);
    expect(backwards.text).toMatch(/from/);
    const model = await service.api('/api/trends?model=toaster', { token: planner });
    expect(model.status).toBe(400);
    expect(model.text).toMatch(/model/);
    // An unknown partner is not a partner with no work: 404 naming it, on every insight route.
    for (const path of ['/api/trends', '/api/kpis', '/api/scorecards']) {
      const unknown = await service.api(`${path}?partnerId=nope`, { token: planner });
      expect(unknown.status, path).toBe(404);
      expect(unknown.body.message).toMatch(/nope/);
    }
    // So is a region no device stands in: the name is mistyped, the area is not quiet.
    const partnerId = (await get('/api/scorecards')).items[0].partnerId;
    for (const path of [
      '/api/trends',
      '/api/kpis',
      '/api/scorecards',
      `/api/partners/${partnerId}/scorecard`,
    ]) {
      const unknown = await service.api(`${path}?region=Atlantis`, { token: planner });
      expect(unknown.status, path).toBe(404);
      expect(unknown.body.message, path).toMatch(/Atlantis/);
    }
    const known = (await get('/api/trends')).regions[0];
    expect((await service.api(`/api/kpis?region=${encodeURIComponent(known.toUpperCase())}`)).status).toBe(
      200,
    );
  });

  it("grades a region's utilisation on the technicians of the partners servicing it, with all their time", async () => {
    const partnerOf = await partnerOfEachDevice();
    const devices = await service.db
      .selectFrom('devices')
      .leftJoin('sites', 'sites.id', 'devices.site_id')
      .select(['devices.id', 'devices.address', 'sites.address as site_address'])
      .execute();
    const servingOf = new Map<string, Set<string>>();
    for (const d of devices) {
      const region = areaOfAddress(d.site_address) ?? areaOfAddress(d.address);
      if (region === null) continue;
      servingOf.set(region, (servingOf.get(region) ?? new Set()).add(partnerOf.get(d.id)!));
    }
    // The region serviced by the fewest partners: most of the network is outside it.
    const [region, serving] = [...servingOf].sort((a, b) => a[1].size - b[1].size)[0]!;
    const utilisation = (groups: { key: string; kpis: { utilisation: number | null } }[]) =>
      new Map(groups.map((g) => [g.key, g.kpis.utilisation]));
    const network = utilisation((await get('/api/kpis?groupBy=partner')).groups);
    const local = await get(`/api/kpis?groupBy=partner&region=${encodeURIComponent(region)}`);
    // A partner servicing the region is as busy as it is anywhere; the others are not its workforce.
    for (const [partnerId, figure] of utilisation(local.groups))
      expect(figure, partnerId).toBe(serving.has(partnerId) ? network.get(partnerId) : null);
    const figures = [...serving].flatMap((id) => network.get(id) ?? []);
    // Once the region's minutes over the whole workforce's capacity: below every partner serving it.
    expect(local.overall.utilisation).toBeGreaterThanOrEqual(Math.min(...figures) - 1e-9);
    expect(local.overall.utilisation).toBeLessThanOrEqual(Math.max(...figures) + 1e-9);

    // Technicians are not split by device model: no figure, rather than the workforce's read as the model's.
    const washers = await get('/api/kpis?groupBy=partner&model=washing-machine');
    expect(washers.overall.utilisation).toBeNull();
    expect(washers.groups.every((g: { kpis: { utilisation: null } }) => g.kpis.utilisation === null)).toBe(
      true,
    );
    expect(washers.overall.repairsResolved).toBeGreaterThan(0);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = await get('/api/openapi.json');
    for (const path of ['/api/kpis', '/api/trends', '/api/scorecards', '/api/partners/{id}/scorecard'])
      expect(doc.paths[path]?.get, path).toBeDefined();
  });
});

describe('GET /api/models', () => {
  it('lists the registry’s versions when the API runs beside it, and is absent otherwise', async () => {
    const service = await startService();
    const dataDir = mkdtempSync(join(tmpdir(), 'aftercare-models-api-'));
    try {
      expect((await service.api('/api/models')).status).toBe(404);
      const app = build(
        { adminToken: 'models-admin-token-0123456789' },
        {
          db: service.db,
          store: service.store,
          rejections: service.rejections,
          presence: service.presence,
          metrics: service.metrics,
          logger,
          models: createModelRegistry({ dataDir }),
        },
      );
      const res = await app.inject({
        url: '/api/models',
        headers: { authorization: 'Bearer models-admin-token-0123456789' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ items: [] });
      await app.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await service.close();
    }
  });
});
