import type { FleetHealthState } from '@aftercare/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aDevice, aRisk, hour } from './support/factories.ts';
import { adminToken, type ServiceHarness, startService } from './support/harness.ts';

const now = Date.now();
const ids = (body: { items: { id: string }[] }) => body.items.map((d) => d.id);

/**
 * GET /api/fleet/devices over a socket, against the real service, its SQLite database and the
 * SQLite telemetry store.
 *
 * Asha Kulkarni (cust-a) owns ac-a1 (failed at 95 %), ac-a2 (failed at 92 %, and 70 % on another
 * component) and rf-a3 (online, 5 %: healthy); Bharat Rao (cust-b) owns ac-b1 (at risk, 55 %), ac-b4
 * (offline, 10 %), rf-b2 (offline, never scored) and rf-b3 (online, 30 %: healthy); ac-x8 and ac-x9
 * have no owner, no score and are online. Worst first, that is:
 */
const worstFirst = ['ac-a1', 'ac-a2', 'ac-b1', 'ac-b4', 'rf-b2', 'rf-b3', 'rf-a3', 'ac-x8', 'ac-x9'];

describe('GET /api/fleet/devices', () => {
  let service: ServiceHarness;
  const tokens = { planner: '', customerA: '', customerB: '', technician: '' };

  beforeAll(async () => {
    service = await startService();
    for (const customer of [
      aCustomer({ id: 'cust-a', name: 'Asha Kulkarni' }),
      aCustomer({ id: 'cust-b', name: 'Bharat Rao' }),
    ])
      expect((await service.api('/api/customers', { method: 'POST', body: customer })).status).toBe(201);
    for (const [id, customerId] of [
      ['ac-a1', 'cust-a'],
      ['ac-a2', 'cust-a'],
      ['rf-a3', 'cust-a'],
      ['ac-b1', 'cust-b'],
      ['rf-b2', 'cust-b'],
      ['rf-b3', 'cust-b'],
      ['ac-b4', 'cust-b'],
      ['ac-x8', undefined],
      ['ac-x9', undefined],
    ] as const) {
      const device = aDevice({
        id,
        model: id.startsWith('rf-') ? 'refrigerator' : 'split-ac',
        serial: `SN-${id}`,
        installedAt: '2025-03-01T00:00:00.000Z',
        ...(customerId ? { customerId } : {}),
      });
      expect((await service.api('/api/devices', { method: 'POST', body: device })).status).toBe(201);
    }
    for (const id of ['ac-a1', 'rf-a3', 'rf-b3', 'ac-x8', 'ac-x9'])
      service.presence.markOnline(id, now - hour);
    const risk = (deviceId: string, pFail: number, daysLeft: number | null, component = 'compressor') =>
      aRisk(deviceId, {
        model: deviceId.startsWith('rf-') ? 'refrigerator' : 'split-ac',
        component,
        pFail,
        daysLeft,
        scoredAt: now - hour,
        dataUntil: now - hour - 60_000,
      });
    await service.store.writeRisks([
      risk('ac-a1', 0.95, 0),
      risk('ac-a2', 0.7, 4),
      risk('ac-a2', 0.92, 0, 'refrigerant_circuit'),
      risk('rf-a3', 0.05, null),
      risk('ac-b1', 0.55, 9),
      risk('rf-b3', 0.3, null),
      risk('ac-b4', 0.1, null),
      // A device that is not registered is not part of the fleet.
      risk('ac-gone', 0.99, 0),
    ]);
    tokens.planner = await service.tokenFor('planner');
    tokens.customerA = await service.tokenFor('customer', 'cust-a');
    tokens.customerB = await service.tokenFor('customer', 'cust-b');
    tokens.technician = await service.tokenFor('technician', 'tech-nobody');
  });
  afterAll(() => service?.close());

  const list = (query: string, token = tokens.planner) =>
    service.api(`/api/fleet/devices${query}`, { token });

  it('lists every device worst first: failed, at risk, offline, healthy, then the likeliest failure, then by id', async () => {
    const res = await list('');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(9);
    expect(res.body.matching).toBe(9);
    expect(ids(res.body)).toEqual(worstFirst);
    expect(res.body.items.map((d: { health: string }) => d.health)).toEqual([
      'failed',
      'failed',
      'at_risk',
      'offline',
      'offline',
      'healthy',
      'healthy',
      'healthy',
      'healthy',
    ]);
    expect(res.body.items[0]).toEqual({
      id: 'ac-a1',
      model: 'split-ac',
      serial: 'SN-ac-a1',
      customerId: 'cust-a',
      customerName: 'Asha Kulkarni',
      health: 'failed',
      online: true,
      lastSeen: new Date(now - hour).toISOString(),
      maxPFail: 0.95,
      installedAt: '2025-03-01T00:00:00.000Z',
    });
    expect(res.body.items.find((d: { id: string }) => d.id === 'rf-b2')).toMatchObject({
      customerName: 'Bharat Rao',
      online: false,
      lastSeen: null,
      maxPFail: null,
    });
  });

  it('judges health exactly as the fleet summary counts it', async () => {
    const summary = await service.api('/api/fleet/summary', { token: tokens.planner });
    const counts: Record<FleetHealthState, number> = { healthy: 0, at_risk: 0, failed: 0, offline: 0 };
    for (const d of (await list('')).body.items as { health: FleetHealthState }[]) counts[d.health]++;
    expect(counts).toEqual(summary.body.totals);
  });

  it('filters by model and by health, counting the matches apart from the devices visible', async () => {
    const offline = await list('?health=offline');
    expect(offline.body).toMatchObject({ total: 9, matching: 2 });
    expect(ids(offline.body)).toEqual(['ac-b4', 'rf-b2']);
    expect(ids((await list('?model=refrigerator')).body)).toEqual(['rf-b2', 'rf-b3', 'rf-a3']);
    const both = await list('?model=refrigerator&health=healthy');
    expect(both.body).toMatchObject({ total: 9, matching: 2 });
    expect(ids(both.body)).toEqual(['rf-b3', 'rf-a3']);
  });

  it('matches q, trimmed and in any case, on the device id, the customer id or the customer name', async () => {
    expect(ids((await list('?q=KULK')).body)).toEqual(['ac-a1', 'ac-a2', 'rf-a3']);
    expect(ids((await list(`?q=${encodeURIComponent('  bharat rao ')}`)).body)).toEqual([
      'ac-b1',
      'ac-b4',
      'rf-b2',
      'rf-b3',
    ]);
    expect(ids((await list('?q=cust-b&health=healthy')).body)).toEqual(['rf-b3']);
    expect(ids((await list('?q=X9')).body)).toEqual(['ac-x9']);
    const none = await list('?q=nobody');
    expect(none.body).toEqual({ total: 9, matching: 0, items: [] });
    expect(ids((await list('?q=%20%20')).body)).toEqual(worstFirst);
  });

  it('pages through the list in order, neither skipping nor repeating a device', async () => {
    const pages = [];
    for (const offset of [0, 4, 8]) {
      const page = await list(`?limit=4&offset=${offset}`);
      expect(page.body).toMatchObject({ total: 9, matching: 9 });
      pages.push(...ids(page.body));
    }
    expect(pages).toEqual(worstFirst);
    expect((await list('?limit=4&offset=20')).body.items).toEqual([]);
    expect(
      (await list('?health=failed&limit=1&offset=1')).body.items.map((d: { id: string }) => d.id),
    ).toEqual(['ac-a2']);
  });

  it("shows a customer its own devices only, and never matches another customer's", async () => {
    const a = await list('', tokens.customerA);
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ total: 3, matching: 3 });
    expect(ids(a.body)).toEqual(['ac-a1', 'ac-a2', 'rf-a3']);
    const searching = await list('?q=bharat', tokens.customerA);
    expect(searching.body).toEqual({ total: 3, matching: 0, items: [] });
    const b = await list('?q=ac-', tokens.customerB);
    expect(b.body.total).toBe(4);
    expect(ids(b.body)).toEqual(['ac-b1', 'ac-b4']);
    expect(JSON.stringify((await list('', tokens.customerB)).body)).not.toMatch(/cust-a|Asha/);
  });

  it('shows a technician only the devices of its jobs', async () => {
    const res = await list('', tokens.technician);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ total: 0, matching: 0, items: [] });
  });

  it('says when a device was last seen: the later of presence and its newest sample', async () => {
    await service.store.write([
      { deviceId: 'rf-b2', model: 'refrigerator', ts: now - 5 * 60_000, metrics: { power_w: 120 } },
    ]);
    const res = await list('?q=rf-b2');
    expect(res.body.items[0]).toMatchObject({
      id: 'rf-b2',
      lastSeen: new Date(now - 5 * 60_000).toISOString(),
    });
  });

  it('refuses a bad filter with 400 naming it, and an anonymous caller with 401', async () => {
    const badHealth = await list('?health=broken');
    expect(badHealth.status).toBe(400);
    expect(badHealth.body.message).toMatch(/\bhealth\b/);
    const longQ = await list(`?q=${'x'.repeat(65)}`);
    expect(longQ.status).toBe(400);
    expect(longQ.body.message).toMatch(/\.q\b/);
    expect((await list('?limit=1001')).status).toBe(400);
    expect((await list('?customerId=cust-a')).status).toBe(400);
    expect((await service.api('/api/fleet/devices', { token: null })).status).toBe(401);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = await service.api('/api/openapi.json', { token: adminToken });
    const operation = doc.body.paths['/api/fleet/devices']?.get;
    expect(operation?.tags).toEqual(['devices']);
    expect(operation?.summary).toMatch(/worst health first/);
    expect(operation?.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'health',
      'limit',
      'model',
      'offset',
      'q',
    ]);
    expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400']));
  });
});
