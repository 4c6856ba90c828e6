import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aDevice } from './support/factories.ts';
import { adminToken, type ServiceHarness, startService } from './support/harness.ts';

describe('API authentication and roles', () => {
  let service: ServiceHarness;
  beforeAll(async () => {
    service = await startService();
  });
  afterAll(() => service.close());

  it('answers 401 with a Bearer challenge when no token is sent', async () => {
    const res = await service.api('/api/devices', { token: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="aftercare"');
    expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', code: 'UNAUTHORIZED' });
    expect(res.body.message).toContain('Authorization: Bearer');
  });

  it('answers 401 invalid_token for a wrong token, a near miss of the admin token and a non-Bearer scheme', async () => {
    for (const authorization of [
      'Bearer aft_wrongwrongwrongwrongwrongwrongwron',
      `Bearer ${adminToken}x`,
      'Basic YWRtaW46YWRtaW4=',
    ]) {
      const res = await fetch(`${service.url}/api/devices`, { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
  });

  it('stops accepting a token once it is revoked', async () => {
    const { token, record } = await service.tokens.create({ name: 'soon gone', role: 'planner' });
    expect((await service.api('/api/devices', { token })).status).toBe(200);
    await service.tokens.revoke(record.id);
    expect((await service.api('/api/devices', { token })).status).toBe(401);
  });

  it('lets admin and planner tokens provision and answers 403 to customer and technician tokens', async () => {
    const planner = await service.tokenFor('planner');
    expect(
      (await service.api('/api/devices', { method: 'POST', token: planner, body: aDevice() })).status,
    ).toBe(201);
    for (const token of [await service.tokenFor('customer', 'acme'), await service.tokenFor('technician')]) {
      const res = await service.api('/api/devices', { method: 'POST', token, body: aDevice() });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'FORBIDDEN' });
      expect(res.body.message).toMatch(/a (customer|technician) token may not POST \/api\/devices/);
    }
  });

  it('answers 403 before it looks at the body of a caller who may not provision', async () => {
    const token = await service.tokenFor('customer', 'acme');
    const res = await service.api('/api/devices', { method: 'POST', token, body: { colour: 'red' } });
    expect(res.status).toBe(403);
  });

  it('logs each request with its reqId and never the bearer token', async () => {
    const token = await service.tokenFor('planner');
    await service.api('/api/devices?limit=1', { token });
    const lines = service.logs.map((line) => JSON.parse(line));
    expect(lines.some((l) => typeof l.reqId === 'string' && l.url === '/api/devices?limit=1')).toBe(true);
    expect(service.logs.join('\n')).not.toContain(token);
    expect(service.logs.join('\n')).not.toContain(adminToken);
  });
});
