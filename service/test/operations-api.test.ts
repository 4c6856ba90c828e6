import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServiceHarness, startService } from './support/harness.ts';

describe('GET /api/ingest/rejections', () => {
  let service: ServiceHarness;
  beforeAll(async () => {
    service = await startService();
    const reject = (
      deviceId: string | null,
      reason: 'invalid_json' | 'non_finite' | 'forbidden_topic',
      at: number,
    ) =>
      service.rejections.record({
        deviceId,
        topic: `aftercare/${deviceId}/telemetry`,
        reason,
        detail: reason,
        bytes: 10,
        at,
      });
    reject('ac-1', 'invalid_json', 1);
    reject('ac-2', 'non_finite', 2);
    reject('ac-1', 'invalid_json', 3);
    reject(null, 'forbidden_topic', 4);
  });
  afterAll(() => service.close());

  it('lists the newest rejections first with counts by reason over all of them', async () => {
    const res = await service.api('/api/ingest/rejections?limit=2');
    expect(res.status).toBe(200);
    expect(res.body.counts).toEqual({ invalid_json: 2, non_finite: 1, forbidden_topic: 1 });
    expect(res.body.total).toBe(4);
    expect(res.body.recent).toEqual([
      {
        at: new Date(4).toISOString(),
        deviceId: null,
        topic: 'aftercare/null/telemetry',
        reason: 'forbidden_topic',
        detail: 'forbidden_topic',
        bytes: 10,
      },
      {
        at: new Date(3).toISOString(),
        deviceId: 'ac-1',
        topic: 'aftercare/ac-1/telemetry',
        reason: 'invalid_json',
        detail: 'invalid_json',
        bytes: 10,
      },
    ]);
  });

  it('is for admins and planners only and checks its limit', async () => {
    expect(
      (await service.api('/api/ingest/rejections', { token: await service.tokenFor('planner') })).status,
    ).toBe(200);
    expect(
      (await service.api('/api/ingest/rejections', { token: await service.tokenFor('technician') })).status,
    ).toBe(403);
    const res = await service.api('/api/ingest/rejections?limit=0');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^querystring\.limit: /);
  });
});

describe('GET /health', () => {
  it('answers 200 without a token when the database, the store and the platform parts answer', async () => {
    const service = await startService({ health: async () => ({ broker: { ok: true } }) });
    try {
      const res = await service.api('/health', { token: null });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ok: true,
        checks: { database: { ok: true }, telemetryStore: { ok: true }, broker: { ok: true } },
      });
    } finally {
      await service.close();
    }
  });

  it('answers 503 naming the store when its ping fails, without its internal message', async () => {
    const service = await startService();
    try {
      await service.store.close();
      const res = await service.api('/health', { token: null });
      expect(res.status).toBe(503);
      expect(res.body.ok).toBe(false);
      expect(res.body.checks.database).toEqual({ ok: true });
      expect(res.body.checks.telemetryStore.ok).toBe(false);
      expect(res.text).not.toMatch(/10\.0\.0\.9/);
    } finally {
      await service.close();
    }
  });

  it('answers 503 when a platform part reports itself down or its report fails', async () => {
    const down = await startService({
      health: async () => ({ broker: { ok: false, detail: 'not listening' } }),
    });
    const failing = await startService({
      health: async () => {
        throw new Error('boom');
      },
    });
    try {
      const a = await down.api('/health', { token: null });
      expect(a.status).toBe(503);
      expect(a.body.checks.broker).toEqual({ ok: false, detail: 'not listening' });
      const b = await failing.api('/health', { token: null });
      expect(b.status).toBe(503);
      expect(b.body.checks.platform).toEqual({ ok: false, detail: 'unavailable' });
    } finally {
      await down.close();
      await failing.close();
    }
  });
});

describe('GET /metrics', () => {
  it('serves the registry in Prometheus text with request durations by route pattern', async () => {
    const service = await startService();
    try {
      await service.api('/api/devices', { method: 'POST', body: { id: 'ac-1', model: 'split-ac' } });
      await service.api('/api/devices/ac-1');
      await service.api('/api/devices/ac-1');
      const res = await service.api('/metrics', { token: null });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(res.text).toContain('# TYPE aftercare_http_request_duration_seconds histogram');
      expect(res.text).toMatch(
        /aftercare_http_request_duration_seconds_count\{method="GET",route="\/api\/devices\/:id",status="200"\} 2/,
      );
      expect(res.text).toMatch(/route="\/api\/devices",status="201"/);
      expect(res.text).not.toContain('route="/api/devices/ac-1"');
    } finally {
      await service.close();
    }
  });
});

describe('unexpected errors', () => {
  it('answer a plain 500 and log the stack, never sending it', async () => {
    const service = await startService();
    try {
      // A closed database is a genuine failure nothing in the API expects.
      await service.db.destroy();
      const res = await service.api('/api/devices');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        code: 'INTERNAL',
        message: 'internal error',
      });
      expect(res.text).not.toMatch(/at |destroyed|kysely|sqlite/i);
      const logged = service.logs.map((line) => JSON.parse(line)).find((l) => l.msg === 'unhandled error');
      expect(logged?.err?.stack).toMatch(/\n\s+at /);
    } finally {
      await service.close();
    }
  });
});

describe('the API document', () => {
  let service: ServiceHarness;
  beforeAll(async () => {
    service = await startService();
  });
  afterAll(() => service.close());

  it('opens without a token, so a browser can show it, while the routes it describes still need one', async () => {
    for (const path of ['/api/docs', '/api/openapi.json']) {
      const res = await service.api(path, { token: null });
      expect(res.status, path).toBe(200);
      expect(res.body.openapi).toMatch(/^3\./);
    }
    expect((await service.api('/api/devices', { token: null })).status).toBe(401);
    expect((await service.api('/api/openapi.json', { token: 'aft_not-a-token' })).status).toBe(200);
  });

  it('is served at /api/openapi.json and /api/docs alike and lists every route', async () => {
    const res = await service.api('/api/openapi.json', { token: await service.tokenFor('customer', 'acme') });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect((await service.api('/api/docs')).body).toEqual(res.body);
    const paths = Object.keys(res.body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/auth/login',
        '/api/auth/logout',
        '/api/auth/me',
        '/api/users',
        '/api/customers',
        '/api/customers/{id}/sites',
        '/api/sites',
        '/api/devices',
        '/api/devices/{id}',
        '/api/devices/{id}/telemetry',
        '/api/partners',
        '/api/partners/{id}/technicians',
        '/api/technicians/{id}/skills/{skill}',
        '/api/parts',
        '/api/parts/{sku}',
        '/api/stock-locations/{id}/stock',
        '/api/tickets/{id}/reservations',
        '/api/transfers',
        '/api/transfers/{id}/arrival',
        '/api/part-returns',
        '/api/knowledge/{model}/{failureMode}',
        '/api/contract-plans',
        '/api/contracts',
        '/api/contracts/renewals-due',
        '/api/contract-visits',
        '/api/tickets',
        '/api/tickets/{id}',
        '/api/tickets/{id}/transitions',
        '/api/tickets/{id}/feedback',
        '/api/warranty-claims',
        '/api/events/stream',
        '/api/ingest/rejections',
        '/health',
        '/metrics',
      ]),
    );
    expect(paths).not.toContain('/api/docs');
    expect(paths).not.toContain('/api/openapi.json');
  });

  it('describes bodies, parameters and responses from the zod schemas', async () => {
    const { body } = await service.api('/api/openapi.json');
    const provision = body.paths['/api/devices'].post;
    expect(provision.requestBody.content['application/json'].schema.required).toEqual(['id', 'model']);
    expect(Object.keys(provision.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '409']),
    );
    const telemetry = body.paths['/api/devices/{id}/telemetry'].get;
    expect(telemetry.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`).sort()).toEqual(
      ['path:id', 'query:from', 'query:metrics', 'query:step', 'query:to'],
    );
    expect(body.paths['/health'].get.security).toEqual([]);
  });

  it("documents the event stream's 200 as text/event-stream, naming the events it sends", async () => {
    const { body } = await service.api('/api/openapi.json');
    const responses = body.paths['/api/events/stream'].get.responses;
    expect(Object.keys(responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
    expect(Object.keys(responses['200'].content)).toEqual(['text/event-stream']);
    for (const kind of ['ticket.changed', 'risk.changed'])
      expect(responses['200'].description).toContain(kind);
    // The errors are still JSON.
    expect(Object.keys(responses['401'].content)).toEqual(['application/json']);
  });
});
