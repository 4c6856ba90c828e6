import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aPartner, aTechnician } from './support/factories.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

describe('people log in with email and password', () => {
  let service: ServiceHarness;
  const password = 'correct horse battery staple';
  beforeAll(async () => {
    service = await startService({ config: { loginRateLimit: { max: 3, timeWindowMs: 60_000 } } });
    await service.repos.users.create({ email: 'planner@example.com', password, role: 'planner' });
  });
  afterAll(() => service.close());

  const login = (email: string, pw: string, headers: Record<string, string> = {}) =>
    service.api('/api/auth/login', { method: 'POST', token: null, body: { email, password: pw }, headers });

  it('answers a session token that works as a bearer token until logout', async () => {
    const res = await login('Planner@Example.com', password);
    expect(res.status).toBe(200);
    expect(res.body.token).toMatch(/^acs_/);
    expect(res.body.user).toMatchObject({ email: 'planner@example.com', role: 'planner' });
    expect(res.body.expiresAt).toBeGreaterThan(Date.now() + 11 * 3_600_000);
    const token: string = res.body.token;

    const me = await service.api('/api/auth/me', { token });
    expect(me.body).toMatchObject({
      role: 'planner',
      via: 'session',
      user: { email: 'planner@example.com' },
    });
    expect((await service.api('/api/tickets', { token })).status).toBe(200);

    expect((await service.api('/api/auth/logout', { method: 'POST', token })).status).toBe(204);
    expect((await service.api('/api/auth/me', { token })).status).toBe(401);
  });

  it('gives the same answer for a wrong password and an unknown email', async () => {
    const wrongPassword = await login('planner@example.com', 'not the password');
    const unknownEmail = await login('nobody@example.com', password);
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknownEmail.body);
    expect(wrongPassword.body.message).toBe('the email or password is not correct');
  });

  it('refuses a body without an email, naming the field', async () => {
    const res = await service.api('/api/auth/login', { method: 'POST', token: null, body: { password } });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^body\.email: /);
  });

  it('rate-limits attempts per address and email with 429 and Retry-After, leaving other accounts alone', async () => {
    await service.repos.users.create({ email: 'target@example.com', password, role: 'planner' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1)
      statuses.push((await login('target@example.com', `guess number ${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const limited = await login('target@example.com', password);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(limited.body.message).toMatch(/^too many login attempts; try again in \d+ s$/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login('planner@example.com', password)).status).toBe(200);
  });

  it("counts a browser's failures by its own address when the console signs it in: a guesser cannot lock the account's owner out", async () => {
    await service.repos.users.create({ email: 'owner@example.com', password, role: 'planner' });
    const guesser = { 'x-forwarded-for': '203.0.113.7' };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1)
      statuses.push((await login('owner@example.com', `guess number ${i}`, guesser)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    // The owner, in another browser behind the same console, signs in.
    expect((await login('owner@example.com', password, { 'x-forwarded-for': '198.51.100.9' })).status).toBe(
      200,
    );
    expect((await login('owner@example.com', password, guesser)).status).toBe(429);
  });

  it('does not count successful logins: someone logging in again and again is never limited', async () => {
    await service.repos.users.create({ email: 'often@example.com', password, role: 'planner' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await login('often@example.com', password)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
  });

  it("clears an account's failed attempts when it logs in correctly, and still limits guessing after", async () => {
    await service.repos.users.create({ email: 'forgetful@example.com', password, role: 'planner' });
    const attempt = async (pw: string) => (await login('forgetful@example.com', pw)).status;
    const statuses = [await attempt('not it'), await attempt('not it either'), await attempt(password)];
    for (let i = 0; i < 4; i += 1) statuses.push(await attempt(`guess number ${i}`));
    expect(statuses).toEqual([401, 401, 200, 401, 401, 401, 429]);
  });

  it('keeps API tokens working for machines beside sessions', async () => {
    const token = await service.tokenFor('planner');
    expect((await service.api('/api/auth/me', { token })).body).toMatchObject({
      role: 'planner',
      via: 'api_token',
      user: null,
    });
    expect((await service.api('/api/auth/me')).body).toMatchObject({ role: 'admin', via: 'admin_token' });
  });

  it('confines a customer session to its customer and a technician session to its technician', async () => {
    const customer = await service.repos.customers.create(aCustomer());
    const partner = await service.repos.partners.createPartner(aPartner());
    const technician = await service.repos.partners.createTechnician(partner.id, aTechnician());
    const customerToken = await service.login({
      email: 'c@example.com',
      role: 'customer',
      customerId: customer.id,
    });
    const technicianToken = await service.login({
      email: 't@example.com',
      role: 'technician',
      technicianId: technician.id,
    });
    expect((await service.api('/api/auth/me', { token: customerToken })).body).toMatchObject({
      role: 'customer',
      customerId: customer.id,
      technicianId: null,
    });
    expect((await service.api('/api/auth/me', { token: technicianToken })).body).toMatchObject({
      role: 'technician',
      technicianId: technician.id,
    });
    expect(
      (await service.api('/api/customers', { token: customerToken })).body.items.map(
        (c: { id: string }) => c.id,
      ),
    ).toEqual([customer.id]);
  });

  it('lets only admins create accounts, and never logs a password', async () => {
    const body = { email: 'new@example.com', password: 'another long password', role: 'planner' };
    const planner = await service.tokenFor('planner');
    expect((await service.api('/api/users', { method: 'POST', token: planner, body })).status).toBe(403);
    const created = await service.api('/api/users', { method: 'POST', body });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('password');
    const tooShort = await service.api('/api/users', {
      method: 'POST',
      body: { ...body, email: 'x@example.com', password: 'short' },
    });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.message).toMatch(/^body\.password: must be at least 12 characters/);
    const customerWithout = await service.api('/api/users', {
      method: 'POST',
      body: { ...body, email: 'y@example.com', role: 'customer' },
    });
    expect(customerWithout.body.message).toMatch(/^body\.customerId: is required for a customer account/);
    expect(service.logs.join('\n')).not.toContain(password);
    expect(service.logs.join('\n')).not.toContain('another long password');
  });
});
