import type { Risk } from '@aftercare/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer } from './support/factories.ts';
import { adminToken, type ServiceHarness, startService } from './support/harness.ts';

const hour = 3_600_000;
const now = Date.now();

function aRisk(deviceId: string, component: string, overrides: Partial<Risk> = {}): Risk {
  const refrigerator = deviceId.startsWith('rf-');
  return {
    deviceId,
    model: refrigerator ? 'refrigerator' : 'split-ac',
    component,
    failureMode: component === 'compressor' ? 'compressor_wear' : 'door_gasket_leak',
    pFail: 0.1,
    daysLeft: null,
    horizonDays: 14,
    modelVersion: 'test@1',
    scoredAt: now - hour,
    dataUntil: now - hour - 60_000,
    drivers: [],
    ...overrides,
  };
}

/**
 * GET /api/fleet/summary over a socket, against the real service and SQLite telemetry store.
 *
 * Customer A owns ac-a1 (failed: no days left at 95 %), ac-a2 (at risk and failed on two components
 * counts as failed once), rf-a3 (online, low risk: healthy); customer B owns ac-b1 (at risk) and rf-b2
 * (never scored, offline); ac-x9 has no owner and no risk but is online.
 */
describe('GET /api/fleet/summary', () => {
  let service: ServiceHarness;
  const tokens = { planner: '', customerA: '', customerB: '', technician: '' };

  beforeAll(async () => {
    service = await startService();
    for (const id of ['cust-a', 'cust-b']) await service.repos.customers.create(aCustomer({ id }));
    for (const [id, model, customerId] of [
      ['ac-a1', 'split-ac', 'cust-a'],
      ['ac-a2', 'split-ac', 'cust-a'],
      ['rf-a3', 'refrigerator', 'cust-a'],
      ['ac-b1', 'split-ac', 'cust-b'],
      ['rf-b2', 'refrigerator', 'cust-b'],
      ['ac-x9', 'split-ac', undefined],
    ] as const) {
      const created = await service.api('/api/devices', {
        method: 'POST',
        body: { id, model, ...(customerId ? { customerId } : {}) },
      });
      expect(created.status).toBe(201);
    }
    for (const id of ['rf-a3', 'ac-x9', 'ac-a1']) service.presence.markOnline(id);
    await service.store.writeRisks([
      // An older score that was worse: only the newest per component counts.
      aRisk('rf-a3', 'door_gasket', { pFail: 0.97, daysLeft: 0, scoredAt: now - 5 * hour }),
      aRisk('rf-a3', 'door_gasket', { pFail: 0.05 }),
      aRisk('ac-a1', 'compressor', { pFail: 0.95, daysLeft: 0 }),
      aRisk('ac-a2', 'compressor', { pFail: 0.7, daysLeft: 4 }),
      aRisk('ac-a2', 'refrigerant_circuit', { pFail: 0.92, daysLeft: 0, scoredAt: now - 2 * hour }),
      aRisk('ac-b1', 'compressor', { pFail: 0.55, daysLeft: 9, scoredAt: now - 30 * 60_000 }),
      // A device that is not (or no longer) registered is not part of the fleet.
      aRisk('ac-gone', 'compressor', { pFail: 0.99, daysLeft: 0 }),
    ]);
    tokens.planner = await service.tokenFor('planner');
    tokens.customerA = await service.tokenFor('customer', 'cust-a');
    tokens.customerB = await service.tokenFor('customer', 'cust-b');
    tokens.technician = await service.tokenFor('technician', 'tech-nobody');
  });
  afterAll(() => service?.close());

  it('counts every device once by model and health, for a planner', async () => {
    const res = await service.api('/api/fleet/summary', { token: tokens.planner });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      devices: 6,
      online: 3,
      byModel: [
        { model: 'split-ac', devices: 4, counts: { healthy: 1, at_risk: 1, failed: 2, offline: 0 } },
        { model: 'refrigerator', devices: 2, counts: { healthy: 1, at_risk: 0, failed: 0, offline: 1 } },
      ],
      totals: { healthy: 2, at_risk: 1, failed: 2, offline: 1 },
      risks: { scoredComponents: 5, atRiskComponents: 4, lastScoredAt: now - 30 * 60_000 },
      topRisks: [],
      rules: { atRiskProbability: 0.5, failedProbability: 0.9 },
    });
  });

  it("adds the most likely failures as rows when asked, in the risk list order, within the caller's scope", async () => {
    const res = await service.api('/api/fleet/summary?top=3', { token: tokens.planner });
    expect(res.body.topRisks.map((r: Risk) => `${r.deviceId}/${r.component}=${r.pFail}`)).toEqual([
      'ac-a1/compressor=0.95',
      'ac-a2/refrigerant_circuit=0.92',
      'ac-a2/compressor=0.7',
    ]);
    const list = await service.api('/api/risks?minP=0.5&limit=4', { token: tokens.planner });
    expect(res.body.topRisks.slice(0, 2)).toEqual(
      list.body.items.filter((r: Risk) => r.deviceId !== 'ac-gone').slice(0, 2),
    );
    const customer = await service.api('/api/fleet/summary?top=10', { token: tokens.customerB });
    expect(customer.body.topRisks.map((r: Risk) => r.deviceId)).toEqual(['ac-b1']);
  });

  it('narrows to one device model', async () => {
    const res = await service.api('/api/fleet/summary?model=refrigerator', { token: tokens.planner });
    expect(res.status).toBe(200);
    expect(res.body.devices).toBe(2);
    expect(res.body.byModel.map((r: { model: string }) => r.model)).toEqual(['refrigerator']);
    expect(res.body.risks.scoredComponents).toBe(1);
  });

  it('shows a customer its own devices only, whatever customer it asks for', async () => {
    const own = await service.api('/api/fleet/summary', { token: tokens.customerB });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      devices: 2,
      online: 0,
      totals: { healthy: 0, at_risk: 1, failed: 0, offline: 1 },
      risks: { scoredComponents: 1, atRiskComponents: 1 },
    });
    // Another customer's id sums nothing, as an id that does not exist: never B's own devices as A's.
    const other = await service.api('/api/fleet/summary?customerId=cust-a', { token: tokens.customerB });
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ devices: 0, online: 0, risks: { scoredComponents: 0 }, topRisks: [] });
    const nobody = await service.api('/api/fleet/summary?customerId=cust-nobody', {
      token: tokens.customerB,
    });
    expect(nobody.body).toEqual(other.body);
    const a = await service.api('/api/fleet/summary', { token: tokens.customerA });
    expect(a.body.totals).toEqual({ healthy: 1, at_risk: 0, failed: 2, offline: 0 });
  });

  it("lets a planner ask for one customer's devices", async () => {
    const res = await service.api('/api/fleet/summary?customerId=cust-a', { token: tokens.planner });
    expect(res.body.devices).toBe(3);
    expect(res.body.online).toBe(2);
  });

  it('shows a technician only the devices of its jobs', async () => {
    const res = await service.api('/api/fleet/summary', { token: tokens.technician });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      devices: 0,
      byModel: [],
      risks: { scoredComponents: 0, lastScoredAt: null },
    });
  });

  it('refuses an unknown model or parameter with 400, and anonymous callers with 401', async () => {
    const badModel = await service.api('/api/fleet/summary?model=toaster', { token: tokens.planner });
    expect(badModel.status).toBe(400);
    expect(badModel.body.message).toMatch(/model/);
    const unknown = await service.api('/api/fleet/summary?limit=5', { token: tokens.planner });
    expect(unknown.status).toBe(400);
    expect((await service.api('/api/fleet/summary?top=101', { token: tokens.planner })).status).toBe(400);
    expect((await service.api('/api/fleet/summary', { token: null })).status).toBe(401);
  });

  it('counts a newer score at once, without waiting for the snapshot to age', async () => {
    const before = await service.api('/api/fleet/summary?model=refrigerator', { token: tokens.planner });
    expect(before.body.totals.failed).toBe(0);
    await service.store.writeRisks([
      aRisk('rf-b2', 'door_gasket', { pFail: 0.96, daysLeft: 0, scoredAt: now }),
    ]);
    const after = await service.api('/api/fleet/summary?model=refrigerator', { token: tokens.planner });
    expect(after.body.totals).toEqual({ healthy: 1, at_risk: 0, failed: 1, offline: 0 });
    expect(after.body.risks.lastScoredAt).toBe(now);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = await service.api('/api/openapi.json', { token: adminToken });
    const operation = doc.body.paths['/api/fleet/summary']?.get;
    expect(operation?.summary).toMatch(/model and health/);
    expect(operation?.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'customerId',
      'model',
      'top',
    ]);
    expect(Object.keys(operation?.responses ?? {})).toContain('200');
  });
});
