import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer } from './support/factories.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

/*
 * Every API route validates its query: one that declares no parameters refuses any, with the same 400
 * a route with a query schema gives for a key it does not know. Over real HTTP, as a client sends it.
 */

describe('query parameters a route does not take', () => {
  let service: ServiceHarness;
  let planner: string;

  beforeAll(async () => {
    service = await startService();
    await service.repos.customers.create(aCustomer({ id: 'acme' }));
    planner = await service.tokenFor('planner');
  });
  afterAll(() => service?.close());

  it('refuses an unknown parameter on a route without a query schema with a 400 naming it', async () => {
    const res = await service.api('/api/parts/shortfall?foo=1', { token: planner });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'VALIDATION_FAILED',
      message: 'querystring: Unrecognized key: "foo"',
    });
    // The same words as a route that has a query schema.
    const declared = await service.api('/api/devices?foo=1', { token: planner });
    expect(declared.status).toBe(400);
    expect(declared.body.message).toBe(res.body.message);
  });

  it('says what a number parameter must be, not that zod received NaN', async () => {
    const res = await service.api('/api/devices?limit=abc', { token: planner });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('querystring.limit: must be a whole number between 1 and 1000');
  });

  it('reads number parameters as decimal digits only: no hex, exponent, blank or padded value', async () => {
    for (const [query, message] of [
      ['minP=0x10', 'querystring.minP: must be a decimal number between 0 and 1'],
      ['minP=', 'querystring.minP: must be a decimal number between 0 and 1'],
      ['minP=%200.5', 'querystring.minP: must be a decimal number between 0 and 1'],
      ['limit=', 'querystring.limit: must be a whole number between 1 and 500'],
      ['limit=1e2', 'querystring.limit: must be a whole number between 1 and 500'],
      ['offset=0x10', 'querystring.offset: must be a whole number, 0 or more'],
    ]) {
      const res = await service.api(`/api/risks?${query}`, { token: planner });
      expect([res.status, res.body.message], query).toEqual([400, message]);
    }
    const due = await service.api('/api/contracts/renewals-due?withinDays=1e2', { token: planner });
    expect(due.body.message).toBe('querystring.withinDays: must be a whole number between 1 and 365');
    const good = await service.api('/api/risks?minP=0.5&limit=10&offset=0', { token: planner });
    expect(good.status, good.text).toBe(200);
    expect(good.body).toMatchObject({ limit: 10, offset: 0 });
  });

  it('says which parameter came more than once, not that zod received an array', async () => {
    for (const [query, message] of [
      ['/api/tickets?status=open&status=closed', 'querystring.status: is given 2 times; give it once'],
      ['/api/devices?limit=5&limit=10&limit=20', 'querystring.limit: is given 3 times; give it once'],
      ['/api/devices?model=split-ac&model=refrigerator', 'querystring.model: is given 2 times; give it once'],
      ['/api/risks?minP=0.5&minP=0.6', 'querystring.minP: is given 2 times; give it once'],
    ]) {
      const res = await service.api(query!, { token: planner });
      expect([res.status, res.body.message], query).toEqual([400, message]);
    }
    // Authentication comes first, as for any other refusal of a query.
    expect((await service.api('/api/devices?limit=5&limit=10', { token: null })).status).toBe(401);
  });

  it('names the limit of a number too large to count exactly, once', async () => {
    const huge = await service.api('/api/devices/sim-ac-00001/telemetry?step=99999999999999999999999d', {
      token: planner,
    });
    expect([huge.status, huge.body.message]).toEqual([
      400,
      'querystring.step: step must be at most 3650d (ten years)',
    ]);
    // A body's number without a limit of its own: past what JavaScript counts exactly.
    const version = await service.api('/api/tickets/t-1/transitions', {
      method: 'POST',
      token: planner,
      body: { to: 'cancelled', reason: 'x', version: 1e20 },
    });
    expect([version.status, version.body.message]).toEqual([400, 'body.version: is too large']);
    const late = await service.api('/api/devices/sim-ac-00001/risks?from=253402300800000', {
      token: planner,
    });
    expect([late.status, late.body.message]).toEqual([
      400,
      'querystring.from: must not be after 253402300799999 (9999-12-31T23:59:59.999Z), got 253402300800000',
    ]);
  });

  it('answers the same route without parameters', async () => {
    const res = await service.api('/api/parts/shortfall', { token: planner });
    expect(res.status, res.text).toBe(200);
  });

  it('refuses parameters on reads by id and on writes too', async () => {
    const read = await service.api('/api/customers/acme?expand=sites');
    expect(read.status).toBe(400);
    expect(read.body.message).toMatch(/Unrecognized key: "expand"/);
    const write = await service.api('/api/customers?dryRun=true', {
      method: 'POST',
      body: aCustomer({ id: 'globex' }),
    });
    expect(write.status).toBe(400);
    expect(write.body.message).toMatch(/Unrecognized key: "dryRun"/);
    expect((await service.api('/api/customers/globex')).status).toBe(404);
  });

  it('refuses an unknown filter on the insight routes instead of answering for the whole network', async () => {
    for (const path of ['/api/kpis', '/api/trends', '/api/scorecards']) {
      const res = await service.api(`${path}?partner=p1`, { token: planner });
      expect(res.status, path).toBe(400);
      expect(res.body.message, path).toBe('querystring: Unrecognized key: "partner"');
    }
  });

  it('still takes the parameters a route declares', async () => {
    const devices = await service.api('/api/devices?limit=5&offset=0', { token: planner });
    expect(devices.status, devices.text).toBe(200);
    expect(devices.body.limit).toBe(5);
    const customers = await service.api('/api/customers?kind=residential&limit=10');
    expect(customers.status, customers.text).toBe(200);
    expect(customers.body.items.map((c: { id: string }) => c.id)).toEqual(['acme']);
    const rejections = await service.api('/api/ingest/rejections?limit=3');
    expect(rejections.status, rejections.text).toBe(200);
  });

  it('still serves the OpenAPI document, without inventing parameters for routes that take none', async () => {
    for (const path of ['/api/docs', '/api/openapi.json']) {
      const res = await service.api(path, { token: null });
      expect(res.status, path).toBe(200);
      expect(res.body.openapi, path).toBe('3.1.0');
    }
    const doc = (await service.api('/api/openapi.json')).body;
    const query = (op: { parameters?: { in: string; name: string }[] }) =>
      (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    expect(query(doc.paths['/api/parts/shortfall'].get)).toEqual([]);
    expect(query(doc.paths['/api/devices'].get)).toEqual(expect.arrayContaining(['limit', 'offset']));
    expect(query(doc.paths['/api/events/stream'].get)).toEqual(['access_token']);
    // A description joined from string pieces shows none of the joining (a quote and a plus left in one).
    const descriptions = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops as Record<string, { description?: string }>).map(([m, op]) => [
        `${m} ${path}`,
        op.description ?? '',
      ]),
    );
    expect(descriptions.filter(([, d]) => /['`] \+|\+ ['`]/.test(d!))).toEqual([]);
  });

  it('leaves the probes and the scrape outside the API as they were', async () => {
    expect((await service.api('/health?probe=1', { token: null })).status).toBe(200);
    expect((await service.api('/metrics?format=text', { token: null })).status).toBe(200);
  });

  it('takes the event stream token in the query, as EventSource must send it', async () => {
    const controller = new AbortController();
    const res = await fetch(`${service.url}/api/events/stream?access_token=${planner}`, {
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    controller.abort();
    const unknown = await service.api('/api/events/stream?since=0', { token: planner });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/Unrecognized key: "since"/);
  });
});
