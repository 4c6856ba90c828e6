import { verifySecret } from '@aftercare/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aDevice, aRisk, aSite } from './support/factories.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

describe('POST /api/devices', () => {
  let service: ServiceHarness;
  beforeAll(async () => {
    service = await startService();
    await service.repos.customers.create(aCustomer({ id: 'acme' }));
  });
  afterAll(() => service.close());

  it('answers 201 with the device, its secret and how to connect, and stores only a hash', async () => {
    const body = { id: 'ac-0001', model: 'split-ac', customerId: 'acme', location: { lat: 12.9, lon: 77.6 } };
    const res = await service.api('/api/devices', { method: 'POST', body });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: 'ac-0001',
      model: 'split-ac',
      customerId: 'acme',
      location: { lat: 12.9, lon: 77.6 },
      serial: null,
      mqtt: { username: 'ac-0001', clientId: 'ac-0001', telemetryTopic: 'aftercare/ac-0001/telemetry' },
    });
    const secret: string = res.body.secret;
    expect(secret.length).toBeGreaterThanOrEqual(32);

    const row = await service.db
      .selectFrom('devices')
      .selectAll()
      .where('id', '=', 'ac-0001')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row.secret_hash).toMatch(/^scrypt\$/);
    expect(await verifySecret(secret, row.secret_hash)).toBe(true);

    const later = [await service.api('/api/devices/ac-0001'), await service.api('/api/devices')];
    for (const read of later) expect(read.text).not.toContain(secret);
  });

  it('answers 409 naming the id when it is already provisioned', async () => {
    await service.api('/api/devices', { method: 'POST', body: aDevice({ id: 'twice' }) });
    const res = await service.api('/api/devices', { method: 'POST', body: aDevice({ id: 'twice' }) });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      code: 'CONFLICT',
      message: 'device twice is already provisioned',
    });
  });

  it.each([
    [
      'an id with forbidden characters',
      { id: 'bad/id+', model: 'split-ac' },
      /^body\.id: must be 1–64 characters/,
    ],
    [
      'an unknown model',
      { id: 'x1', model: 'toaster' },
      /^body\.model: Invalid option: expected one of "split-ac"/,
    ],
    ['an extra field', { id: 'x2', model: 'split-ac', colour: 'red' }, /^body: Unrecognized key: "colour"/],
    ['a missing id', { model: 'split-ac' }, /^body\.id: is required/],
    [
      'a latitude out of range',
      { id: 'x3', model: 'split-ac', location: { lat: 91, lon: 0 } },
      /^body\.location\.lat: /,
    ],
  ])('answers 400 naming the field for %s', async (_case, body, message) => {
    const res = await service.api('/api/devices', { method: 'POST', body });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED' });
    expect(res.body.message).toMatch(message);
  });

  it('answers 400 naming customerId for a customer that does not exist, and provisions nothing', async () => {
    const res = await service.api('/api/devices', {
      method: 'POST',
      body: { id: 'rv-dev-x', model: 'split-ac', customerId: 'cust-9999' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'body.customerId: there is no customer cust-9999',
    });
    expect((await service.api('/api/devices/rv-dev-x')).status).toBe(404);
  });

  it('answers 400 to malformed JSON and 413 to a body over the limit', async () => {
    const post = (body: string) =>
      fetch(`${service.url}/api/devices`, {
        method: 'POST',
        headers: { authorization: 'Bearer test-admin-token-0123456789', 'content-type': 'application/json' },
        body,
      });
    const malformed = await post('{"id": ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ statusCode: 400, code: expect.any(String) });
    const huge = await post(JSON.stringify({ id: 'big', model: 'split-ac', serial: 'x'.repeat(70_000) }));
    expect(huge.status).toBe(413);
  });
});

describe('GET /api/devices', () => {
  let service: ServiceHarness;
  beforeAll(async () => {
    service = await startService();
    for (const id of ['acme', 'globex']) await service.repos.customers.create(aCustomer({ id }));
    const fleet = [
      ['acme-ac-1', 'split-ac', 'acme'],
      ['acme-ac-2', 'split-ac', 'acme'],
      ['acme-fridge', 'refrigerator', 'acme'],
      ['globex-ac', 'split-ac', 'globex'],
      ['stock-ro', 'water-purifier', undefined],
    ] as const;
    for (const [id, model, customerId] of fleet) {
      await service.api('/api/devices', {
        method: 'POST',
        body: { id, model, ...(customerId ? { customerId } : {}) },
      });
    }
  });
  afterAll(() => service.close());

  const ids = (body: { items: { id: string }[] }) => body.items.map((d) => d.id);

  it('lists every device in id order with the total', async () => {
    const res = await service.api('/api/devices');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 5, limit: 100, offset: 0 });
    expect(ids(res.body)).toEqual(['acme-ac-1', 'acme-ac-2', 'acme-fridge', 'globex-ac', 'stock-ro']);
  });

  it('filters by model and customer and pages, the total counting the whole filtered set', async () => {
    const res = await service.api('/api/devices?model=split-ac&limit=2&offset=1');
    expect(res.body).toMatchObject({ total: 3, limit: 2, offset: 1 });
    expect(ids(res.body)).toEqual(['acme-ac-2', 'globex-ac']);
    const acme = await service.api('/api/devices?customerId=acme&model=refrigerator');
    expect(ids(acme.body)).toEqual(['acme-fridge']);
  });

  it('answers 400 naming the parameter for a bad limit or an unknown one', async () => {
    const res = await service.api('/api/devices?limit=0');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^querystring\.limit: /);
    expect((await service.api('/api/devices?colour=red')).body.message).toMatch(
      /^querystring: Unrecognized key: "colour"/,
    );
  });

  it('shows a customer its own devices only, whether or not it names itself', async () => {
    const token = await service.tokenFor('customer', 'acme');
    for (const query of ['', '?customerId=acme']) {
      const res = await service.api(`/api/devices${query}`, { token });
      expect(res.status).toBe(200);
      expect(ids(res.body)).toEqual(['acme-ac-1', 'acme-ac-2', 'acme-fridge']);
      expect(res.body.total).toBe(3);
    }
  });

  it("lists nothing to a customer naming another customer's id, exactly as for an id that does not exist", async () => {
    const token = await service.tokenFor('customer', 'acme');
    const other = await service.api('/api/devices?customerId=globex', { token });
    const missing = await service.api('/api/devices?customerId=nobody', { token });
    expect(other.status).toBe(200);
    expect(other.body).toEqual({ items: [], total: 0, limit: 100, offset: 0 });
    expect(missing.body).toEqual(other.body);
  });
});

describe('GET /api/devices/:id', () => {
  let service: ServiceHarness;
  const now = Date.now();
  beforeAll(async () => {
    service = await startService();
    for (const id of ['acme', 'globex']) await service.repos.customers.create(aCustomer({ id }));
    await service.api('/api/devices', {
      method: 'POST',
      body: { id: 'ac-1', model: 'split-ac', customerId: 'acme' },
    });
    await service.api('/api/devices', {
      method: 'POST',
      body: { id: 'ac-2', model: 'split-ac', customerId: 'globex' },
    });
  });
  afterAll(() => service.close());

  it('shows the latest values, online status and the later of presence and the newest sample as lastSeen', async () => {
    await service.store.write([
      {
        deviceId: 'ac-1',
        model: 'split-ac',
        ts: now - 120_000,
        metrics: { power_w: 900, compressor_current_a: 5 },
      },
      {
        deviceId: 'ac-1',
        model: 'split-ac',
        ts: now - 60_000,
        metrics: { power_w: 1100, compressor_current_a: 6.1 },
      },
    ]);
    service.presence.markOnline('ac-1', now - 90_000);
    const res = await service.api('/api/devices/ac-1');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: 'ac-1',
      customerId: 'acme',
      online: true,
      lastSeen: new Date(now - 60_000).toISOString(),
      latest: { power_w: 1100, compressor_current_a: 6.1 },
    });

    service.presence.markOffline('ac-1', now - 1000);
    const offline = await service.api('/api/devices/ac-1');
    expect(offline.body).toMatchObject({ online: false, lastSeen: new Date(now - 1000).toISOString() });
  });

  it('shows a device never heard from as offline with nothing seen', async () => {
    const res = await service.api('/api/devices/ac-2');
    expect(res.body).toMatchObject({ id: 'ac-2', online: false, lastSeen: null, latest: null });
  });

  it("answers 404 for an unknown device, and to a customer for another customer's device alike", async () => {
    const unknown = await service.api('/api/devices/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'NOT_FOUND', message: 'device nope not found' });

    const token = await service.tokenFor('customer', 'acme');
    expect((await service.api('/api/devices/ac-1', { token })).status).toBe(200);
    const foreign = await service.api('/api/devices/ac-2', { token });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual({ ...unknown.body, message: 'device ac-2 not found' });
  });

  it('judges its health as the fleet list does, so one device needs no search of the list', async () => {
    expect((await service.api('/api/devices/ac-2')).body.health).toBe('offline');
    service.presence.markOnline('ac-1', now);
    expect((await service.api('/api/devices/ac-1')).body.health).toBe('healthy');
    await service.store.writeRisks([
      aRisk('ac-1', { pFail: 0.6, daysLeft: 9 }),
      aRisk('ac-1', { component: 'capacitor', failureMode: 'capacitor_degradation', pFail: 0.2 }),
    ]);
    const token = await service.tokenFor('customer', 'acme');
    const [one, list] = await Promise.all([
      service.api('/api/devices/ac-1', { token }),
      service.api('/api/fleet/devices', { token }),
    ]);
    expect(one.body.health).toBe('at_risk');
    expect(list.body.items.find((d: { id: string }) => d.id === 'ac-1').health).toBe(one.body.health);
  });

  it('answers 400 for an id that could never exist', async () => {
    const res = await service.api('/api/devices/-leading-dash');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^params\.id: /);
  });
});

describe('PATCH /api/devices/:id', () => {
  let service: ServiceHarness;
  beforeAll(async () => {
    service = await startService();
    for (const id of ['acme', 'globex']) await service.repos.customers.create(aCustomer({ id }));
    await service.api('/api/devices', { method: 'POST', body: aDevice({ id: 'ac-1', customerId: 'acme' }) });
  });
  afterAll(() => service.close());

  const patch = (body: unknown) => service.api('/api/devices/ac-1', { method: 'PATCH', body });

  it('hands the device to another customer, or to none', async () => {
    expect((await patch({ customerId: 'globex' })).body).toMatchObject({ id: 'ac-1', customerId: 'globex' });
    expect((await patch({ customerId: null })).body).toMatchObject({ id: 'ac-1', customerId: null });
    expect((await patch({ customerId: 'acme' })).body).toMatchObject({ id: 'ac-1', customerId: 'acme' });
  });

  it('answers 400 naming customerId for a customer that does not exist, and keeps the owner', async () => {
    const res = await patch({ customerId: 'cust-8888' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'body.customerId: there is no customer cust-8888',
    });
    expect((await service.api('/api/devices/ac-1')).body.customerId).toBe('acme');
  });

  it('moves a device placed on another site to where that site is, address and all', async () => {
    const registered = await service.api('/api/devices', {
      method: 'POST',
      body: aDevice({ customerId: 'acme', location: { lat: 13.0827, lon: 80.2707, address: '7, Perambur' } }),
    });
    const id = registered.body.id;
    const site = (
      await service.api('/api/customers/acme/sites', {
        method: 'POST',
        body: aSite({ address: '46, Anna Main Road, Velachery, Chennai', lat: 12.9791, lon: 80.2209 }),
      })
    ).body;
    const moved = await service.api(`/api/devices/${id}`, { method: 'PATCH', body: { siteId: site.id } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      siteId: site.id,
      location: { lat: 12.9791, lon: 80.2209, address: '46, Anna Main Road, Velachery, Chennai' },
    });
    // Patching something else leaves where it stands alone.
    const again = await service.api(`/api/devices/${id}`, { method: 'PATCH', body: { serial: 'SN-1' } });
    expect(again.body.location).toEqual(moved.body.location);
  });

  it('so a ticket opened on the device never belongs to a customer that does not exist', async () => {
    await patch({ customerId: 'cust-8888' });
    const ticket = await service.api('/api/tickets', {
      method: 'POST',
      body: { deviceId: 'ac-1', description: 'Not cooling' },
    });
    expect(ticket.status).toBe(201);
    expect(ticket.body.customerId).toBe('acme');
  });
});
