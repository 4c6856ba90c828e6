import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Risk, silentLogger } from '@aftercare/core';
import {
  createSqliteStore,
  PresenceTracker,
  RejectionLog,
  type SqliteTelemetryStore,
} from '@aftercare/ingest';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type ServiceApp } from '../src/app.ts';
import { createDatabase, type ServiceDatabase } from '../src/db/database.ts';
import { createServiceRepositories } from '../src/repositories/service-repositories.ts';
import { aCustomer, aPartner, aTechnician } from './support/factories.ts';
import { planner } from './support/world.ts';

const adminToken = 'test-admin-token-0123456789';
const hour = 3_600_000;
const day = 24 * hour;
const now = Date.UTC(2026, 10, 26, 12, 0);

function aRisk(deviceId: string, component: string, scoredAt: number, overrides: Partial<Risk> = {}): Risk {
  const refrigerator = deviceId.startsWith('rf-');
  return {
    deviceId,
    model: refrigerator ? 'refrigerator' : 'split-ac',
    component,
    failureMode:
      { compressor: 'compressor_wear', refrigerant_circuit: 'refrigerant_leak' }[component] ?? component,
    pFail: 0.5,
    daysLeft: 10,
    horizonDays: 14,
    modelVersion: refrigerator ? 'refrigerator@1' : 'split-ac@1',
    scoredAt,
    dataUntil: scoredAt - 60_000,
    drivers: [],
    ...overrides,
  };
}

const drivers: Risk['drivers'] = [
  {
    metric: 'discharge_temp_c',
    label: 'Discharge temperature',
    unit: '°C',
    change: 6.1,
    overDays: 9,
    direction: 'up',
    weight: 0.7,
    text: 'Discharge temperature +6.1 °C over 9 days',
  },
];

/**
 * The real service app from `build()` over a real SQLite telemetry store; requests go through `inject`.
 */
describe('risk API', () => {
  let app: ServiceApp;
  let db: ServiceDatabase;
  let store: SqliteTelemetryStore;
  let storeDir: string;
  const tokens: Record<'planner' | 'customerA' | 'customerB' | 'technicianB', string> = {
    planner: '',
    customerA: '',
    customerB: '',
    technicianB: '',
  };

  const get = async (url: string, token: string | null = adminToken) => {
    const response = await app.inject({
      method: 'GET',
      url,
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });
    return { status: response.statusCode, body: response.json() };
  };
  const keys = (items: Risk[]) => items.map((r) => `${r.deviceId}/${r.component}=${r.pFail}`);

  // Customer A owns ac-a1 and rf-a2; customer B owns ac-b1; ac-x9 has risks but no owner.
  const newest = {
    a1Compressor: aRisk('ac-a1', 'compressor', now - hour, { pFail: 0.9, daysLeft: 3.5, drivers }),
    a1Refrigerant: aRisk('ac-a1', 'refrigerant_circuit', now - hour, { pFail: 0.4 }),
    b1Compressor: aRisk('ac-b1', 'compressor', now - hour, { pFail: 0.6 }),
    a2Gasket: aRisk('rf-a2', 'door_gasket', now - 2 * hour, { pFail: 0.1, daysLeft: null }),
    x9Compressor: aRisk('ac-x9', 'compressor', now - hour, { pFail: 0.6 }),
  };

  beforeAll(async () => {
    db = await createDatabase({ file: ':memory:' });
    storeDir = mkdtempSync(join(tmpdir(), 'aftercare-risks-api-'));
    store = createSqliteStore({ file: join(storeDir, 'telemetry.db'), retentionDays: 30 });
    await store.init();
    const clock = () => now;
    const repositories = createServiceRepositories(db, { clock });
    app = build(
      { adminToken },
      {
        db,
        store,
        presence: new PresenceTracker(),
        rejections: new RejectionLog(50),
        metrics: new Registry(),
        logger: silentLogger,
        clock,
        repositories,
      },
    );
    await app.ready();

    for (const id of ['cust-a', 'cust-b']) await repositories.customers.create(aCustomer({ id }));
    for (const [id, model, customerId] of [
      ['ac-a1', 'split-ac', 'cust-a'],
      ['rf-a2', 'refrigerator', 'cust-a'],
      ['ac-b1', 'split-ac', 'cust-b'],
    ] as const) {
      const created = await app.inject({
        method: 'POST',
        url: '/api/devices',
        headers: { authorization: `Bearer ${adminToken}` },
        payload: { id, model, customerId },
      });
      expect(created.statusCode).toBe(201);
    }
    const tokenRepository = repositories.tokens;
    tokens.planner = (await tokenRepository.create({ name: 'planner', role: 'planner' })).token;
    tokens.customerA = (
      await tokenRepository.create({ name: 'a', role: 'customer', customerId: 'cust-a' })
    ).token;
    tokens.customerB = (
      await tokenRepository.create({ name: 'b', role: 'customer', customerId: 'cust-b' })
    ).token;

    // A technician with one job, on customer B's air conditioner.
    const partner = await repositories.partners.createPartner(aPartner());
    const technician = await repositories.partners.createTechnician(partner.id, aTechnician());
    const job = await repositories.tickets.create(
      { kind: 'corrective', deviceId: 'ac-b1', description: 'Not cooling' },
      planner,
    );
    await repositories.tickets.transition(
      job.id,
      {
        to: 'scheduled',
        technicianId: technician.id,
        appointment: { start: now + day, end: now + day + hour },
      },
      planner,
    );
    tokens.technicianB = (
      await tokenRepository.create({ name: 't', role: 'technician', technicianId: technician.id })
    ).token;

    await store.writeRisks([
      aRisk('ac-a1', 'compressor', now - 3 * day, { pFail: 0.2 }),
      aRisk('ac-a1', 'compressor', now - 2 * day, { pFail: 0.5 }),
      aRisk('ac-a1', 'refrigerant_circuit', now - 2 * day, { pFail: 0.3 }),
      aRisk('ac-a1', 'compressor', now - 40 * day, { pFail: 0.05 }),
      ...Object.values(newest),
    ]);
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await db?.destroy();
    rmSync(storeDir, { recursive: true, force: true });
  });

  describe('GET /api/risks', () => {
    it('lists the newest risk of each device × component, most likely failure first', async () => {
      const res = await get('/api/risks', tokens.planner);
      expect(res.status).toBe(200);
      expect(keys(res.body.items)).toEqual([
        'ac-a1/compressor=0.9',
        'ac-b1/compressor=0.6',
        'ac-x9/compressor=0.6',
        'ac-a1/refrigerant_circuit=0.4',
        'rf-a2/door_gasket=0.1',
      ]);
      expect(res.body).toMatchObject({ total: 5, limit: 50, offset: 0 });
      expect(res.body.items[0]).toEqual(newest.a1Compressor);
      expect(res.body.items[4]).toEqual(newest.a2Gasket);
    });

    it('filters by device model, component and minimum probability', async () => {
      expect(keys((await get('/api/risks?model=refrigerator')).body.items)).toEqual([
        'rf-a2/door_gasket=0.1',
      ]);
      expect(keys((await get('/api/risks?component=refrigerant_circuit')).body.items)).toEqual([
        'ac-a1/refrigerant_circuit=0.4',
      ]);
      const likely = await get('/api/risks?minP=0.6&model=split-ac');
      expect(keys(likely.body.items)).toEqual([
        'ac-a1/compressor=0.9',
        'ac-b1/compressor=0.6',
        'ac-x9/compressor=0.6',
      ]);
      expect(likely.body.total).toBe(3);
    });

    it('pages with limit and offset, counting every match in total', async () => {
      const first = await get('/api/risks?limit=2');
      const second = await get('/api/risks?limit=2&offset=2');
      const last = await get('/api/risks?limit=2&offset=4');
      expect([first, second, last].map((r) => r.body.total)).toEqual([5, 5, 5]);
      expect(keys([...first.body.items, ...second.body.items, ...last.body.items])).toEqual(
        keys((await get('/api/risks')).body.items),
      );
      expect(last.body.items).toHaveLength(1);
    });

    it("shows a customer its own devices' risks only, and nothing when it names another customer", async () => {
      const own = await get('/api/risks', tokens.customerA);
      expect(keys(own.body.items)).toEqual([
        'ac-a1/compressor=0.9',
        'ac-a1/refrigerant_circuit=0.4',
        'rf-a2/door_gasket=0.1',
      ]);
      expect((await get('/api/risks?customerId=cust-a', tokens.customerA)).body).toEqual(own.body);
      const asksForOther = await get('/api/risks?customerId=cust-a', tokens.customerB);
      expect(asksForOther.status).toBe(200);
      expect(asksForOther.body).toEqual({ items: [], total: 0, limit: 50, offset: 0 });
      expect((await get('/api/risks?customerId=nobody', tokens.customerB)).body).toEqual(asksForOther.body);
    });

    it("shows a technician the risks of its jobs' devices only, not the fleet's", async () => {
      expect(keys((await get('/api/risks', tokens.technicianB)).body.items)).toEqual([
        'ac-b1/compressor=0.6',
      ]);
      expect((await get('/api/risks?deviceId=ac-a1', tokens.technicianB)).body).toMatchObject({
        items: [],
        total: 0,
      });
    });

    it("gives one device's current risks, and nothing of another customer's device", async () => {
      expect(keys((await get('/api/risks?deviceId=ac-a1', tokens.planner)).body.items)).toEqual([
        'ac-a1/compressor=0.9',
        'ac-a1/refrigerant_circuit=0.4',
      ]);
      expect(keys((await get('/api/risks?deviceId=rf-a2', tokens.customerA)).body.items)).toEqual([
        'rf-a2/door_gasket=0.1',
      ]);
      expect((await get('/api/risks?deviceId=ac-a1', tokens.customerB)).body).toMatchObject({
        items: [],
        total: 0,
      });
    });

    it('lets a planner narrow the list to one customer', async () => {
      expect(keys((await get('/api/risks?customerId=cust-b', tokens.planner)).body.items)).toEqual([
        'ac-b1/compressor=0.6',
      ]);
      expect((await get('/api/risks?customerId=nobody', tokens.planner)).body).toMatchObject({
        items: [],
        total: 0,
      });
    });

    it.each([
      ['minP=1.5', /^querystring\.minP: /],
      ['component=Compressor-Unit', /^querystring\.component: /],
      ['model=toaster', /^querystring\.model: /],
      ['deviceId=a%20b', /^querystring\.deviceId: /],
      ['limit=0', /^querystring\.limit: /],
      ['sort=asc', /sort/],
    ])('answers 400 naming the parameter for %s', async (query, message) => {
      const res = await get(`/api/risks?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.message).toMatch(message);
    });

    it('says a component filter wants a component name, not a metric name', async () => {
      for (const url of [
        '/api/risks?component=Compressor',
        '/api/devices/ac-a1/risks?component=Compressor',
      ]) {
        const res = await get(url);
        expect(res.status, url).toBe(400);
        expect(res.body.message, url).toMatch(
          /^querystring\.component: component names are snake_case, e\.g\. compressor/,
        );
      }
    });

    it('answers 401 without a token', async () => {
      expect((await get('/api/risks', null)).status).toBe(401);
    });

    // Last in this block: it stores new scores the tests above do not expect.
    it('lists a risk stored a moment ago at the very next request', async () => {
      expect(keys((await get('/api/risks')).body.items)).toContain('ac-b1/compressor=0.6');
      await store.writeRisks([
        aRisk('ac-b1', 'compressor', now - 30 * 60_000, { pFail: 0.95 }),
        aRisk('ac-b1', 'refrigerant_circuit', now - 30 * 60_000, { pFail: 0.7 }),
      ]);
      const all = await get('/api/risks', tokens.planner);
      expect(keys(all.body.items).slice(0, 3)).toEqual([
        'ac-b1/compressor=0.95',
        'ac-a1/compressor=0.9',
        'ac-b1/refrigerant_circuit=0.7',
      ]);
      expect(all.body.total).toBe(6);
      expect(keys((await get('/api/risks', tokens.customerB)).body.items)).toEqual([
        'ac-b1/compressor=0.95',
        'ac-b1/refrigerant_circuit=0.7',
      ]);
    });

    it("gives one device's risks exact to the last write, even one scored before the newest", async () => {
      await store.writeRisks([aRisk('ac-b1', 'fan_motor', now - 3 * hour, { pFail: 0.2 })]);
      expect(keys((await get('/api/risks?deviceId=ac-b1')).body.items)).toEqual([
        'ac-b1/compressor=0.95',
        'ac-b1/refrigerant_circuit=0.7',
        'ac-b1/fan_motor=0.2',
      ]);
    });
  });

  describe('GET /api/devices/:id/risks', () => {
    it("gives the device's risks of the last 30 days by default, oldest first", async () => {
      const res = await get('/api/devices/ac-a1/risks');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ deviceId: 'ac-a1', from: now - 30 * day, to: now, truncated: false });
      expect(res.body.items.map((r: Risk) => [r.scoredAt, r.component, r.pFail])).toEqual([
        [now - 3 * day, 'compressor', 0.2],
        [now - 2 * day, 'compressor', 0.5],
        [now - 2 * day, 'refrigerant_circuit', 0.3],
        [now - hour, 'compressor', 0.9],
        [now - hour, 'refrigerant_circuit', 0.4],
      ]);
      expect(res.body.items[3]).toEqual(newest.a1Compressor);
    });

    it('honours from (inclusive), to (exclusive), component and ISO 8601 times', async () => {
      const from = new Date(now - 2 * day).toISOString();
      const res = await get(`/api/devices/ac-a1/risks?from=${from}&to=${now - hour}&component=compressor`);
      expect(res.body.items.map((r: Risk) => r.pFail)).toEqual([0.5]);
      const old = await get(`/api/devices/ac-a1/risks?from=${now - 50 * day}&to=${now - 30 * day}`);
      expect(old.body.items.map((r: Risk) => r.pFail)).toEqual([0.05]);
    });

    it('keeps the most recent and says so when the range holds more than the limit', async () => {
      const res = await get('/api/devices/ac-a1/risks?limit=2');
      expect(res.body.truncated).toBe(true);
      expect(res.body.items.map((r: Risk) => [r.scoredAt, r.component])).toEqual([
        [now - hour, 'compressor'],
        [now - hour, 'refrigerant_circuit'],
      ]);
    });

    it("answers 404 for another customer's device exactly as for a missing one", async () => {
      const other = await get('/api/devices/ac-b1/risks', tokens.customerA);
      const missing = await get('/api/devices/ac-zz/risks', tokens.customerA);
      expect(other).toEqual({ status: 404, body: { ...missing.body, message: 'device ac-b1 not found' } });
      expect(missing.status).toBe(404);
      expect((await get('/api/devices/rf-a2/risks', tokens.customerA)).body.items).toEqual([newest.a2Gasket]);
    });

    it('answers 400 when from is not before to', async () => {
      const res = await get(`/api/devices/ac-a1/risks?from=${now}&to=${now - hour}`);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/from/);
      const defaultTo = await get(`/api/devices/ac-a1/risks?from=${now + hour}`);
      expect(defaultTo.status).toBe(400);
      expect(defaultTo.body.message).toMatch(/^querystring\.from: must be before to/);
    });
  });

  describe('GET /api/devices/:id/risk-trend', () => {
    it("gives the device's highest risk per hour of the last 30 days by default, per component", async () => {
      const res = await get('/api/devices/ac-a1/risk-trend');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        deviceId: 'ac-a1',
        from: now - 30 * day,
        to: now,
        stepMs: hour,
        components: [
          {
            component: 'compressor',
            // First scored before the window: the device has a past.
            firstScoredAt: now - 40 * day,
            lastScoredAt: now - hour,
            scores: 3,
            points: [
              { ts: now - 3 * day, pFail: 0.2, daysLeft: 10 },
              { ts: now - 2 * day, pFail: 0.5, daysLeft: 10 },
              { ts: now - hour, pFail: 0.9, daysLeft: 3.5 },
            ],
          },
          {
            component: 'refrigerant_circuit',
            firstScoredAt: now - 2 * day,
            lastScoredAt: now - hour,
            scores: 2,
            points: [
              { ts: now - 2 * day, pFail: 0.3, daysLeft: 10 },
              { ts: now - hour, pFail: 0.4, daysLeft: 10 },
            ],
          },
        ],
      });
    });

    it('takes a step, a component and a longer range, the days before the default included', async () => {
      const res = await get(
        `/api/devices/ac-a1/risk-trend?from=${now - 50 * day}&to=${now}&step=7d&component=compressor`,
      );
      expect(res.status).toBe(200);
      expect(res.body.stepMs).toBe(7 * day);
      const [compressor] = res.body.components;
      // Weeks start at multiples of 7 days from the epoch, a Thursday: 40 days back, the week of the
      // 23rd (3 and 2 days back) and this Thursday's (an hour back).
      expect(compressor.points.map((p: { pFail: number }) => p.pFail)).toEqual([0.05, 0.5, 0.9]);
      expect(compressor.points.every((p: { ts: number }) => p.ts % (7 * day) === 0)).toBe(true);
    });

    it('answers 400 naming the step when it is malformed or makes too many buckets', async () => {
      const malformed = await get('/api/devices/ac-a1/risk-trend?step=often');
      expect(malformed.status).toBe(400);
      expect(malformed.body.message).toMatch(/step/);
      const fine = await get(`/api/devices/ac-a1/risk-trend?from=${now - 365 * day}&step=1m`);
      expect(fine.status).toBe(400);
      expect(fine.body.message).toMatch(/^querystring\.step: .*more than 10000 buckets/);
    });

    it("answers 404 for another customer's device, and a customer sees its own", async () => {
      expect((await get('/api/devices/ac-b1/risk-trend', tokens.customerA)).status).toBe(404);
      const own = await get('/api/devices/rf-a2/risk-trend', tokens.customerA);
      expect(own.body.components).toEqual([
        {
          component: 'door_gasket',
          firstScoredAt: now - 2 * hour,
          lastScoredAt: now - 2 * hour,
          scores: 1,
          points: [{ ts: now - 2 * hour, pFail: 0.1, daysLeft: null }],
        },
      ]);
    });
  });

  it('documents the routes in the OpenAPI document', async () => {
    const { body } = await get('/api/openapi.json');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/api/risks', '/api/devices/{id}/risks', '/api/devices/{id}/risk-trend']),
    );
  });
});
