import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialRevocation } from '../src/events/credential-revocations.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

/** People change their own password; an admin sets a new one for someone who lost theirs. */
describe('passwords', () => {
  let service: ServiceHarness;
  beforeAll(async () => {
    service = await startService({ config: { loginRateLimit: { max: 3, timeWindowMs: 60_000 } } });
  });
  afterAll(() => service.close());

  let n = 0;
  /** A fresh account with a password, and a session for it. */
  async function account(password = 'the first long password') {
    const email = `person${++n}@example.com`;
    const user = await service.repos.users.create({ email, password, role: 'planner' });
    const token = await logIn(email, password);
    return { email, id: user.id, token: token! };
  }
  async function logIn(email: string, password: string): Promise<string | null> {
    const res = await service.api('/api/auth/login', {
      method: 'POST',
      token: null,
      body: { email, password },
    });
    return res.status === 200 ? (res.body.token as string) : null;
  }
  const change = (token: string, body: unknown) =>
    service.api('/api/auth/password', { method: 'POST', token, body });

  it('changes your own password: every session ends, a new one is answered, only the new password works', async () => {
    const { email, token } = await account();
    const elsewhere = (await logIn(email, 'the first long password'))!;
    const res = await change(token, {
      currentPassword: 'the first long password',
      newPassword: 'the second long password',
    });
    expect(res.status).toBe(200);
    expect(res.body.user.email).toBe(email);
    expect((await service.api('/api/auth/me', { token: res.body.token })).status).toBe(200);
    for (const old of [token, elsewhere])
      expect((await service.api('/api/auth/me', { token: old })).status).toBe(401);
    expect(await logIn(email, 'the first long password')).toBeNull();
    expect(await logIn(email, 'the second long password')).not.toBeNull();
  });

  it('refuses a wrong current password naming currentPassword, and keeps the old password and session', async () => {
    const { email, token } = await account();
    const res = await change(token, { currentPassword: 'a guess', newPassword: 'the second long password' });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('body.currentPassword: is not correct');
    expect((await service.api('/api/auth/me', { token })).status).toBe(200);
    expect(await logIn(email, 'the first long password')).not.toBeNull();
  });

  it('changes nothing when the change fails half way: the old password and every session keep working', async () => {
    const { email, token } = await account();
    const announced: CredentialRevocation[] = [];
    const unsubscribe = service.repos.users.revocations.subscribe((r) => announced.push(r));
    // The caller's new session is the change's last write: refusing it fails the change after the new
    // hash and the ending of the old sessions were written.
    await sql`create temp trigger refuse_sessions before insert on sessions
      begin select raise(abort, 'injected failure'); end`.execute(service.db);
    try {
      const res = await change(token, {
        currentPassword: 'the first long password',
        newPassword: 'the second long password',
      });
      expect(res.status).toBe(500);
    } finally {
      await sql`drop trigger temp.refuse_sessions`.execute(service.db);
      unsubscribe();
    }
    expect(announced).toEqual([]);
    expect((await service.api('/api/auth/me', { token })).status).toBe(200);
    expect(await logIn(email, 'the second long password')).toBeNull();
    expect(await logIn(email, 'the first long password')).not.toBeNull();
  });

  it('leaves the old password in place when an admin reset fails before the sessions have ended', async () => {
    const { email, id, token } = await account();
    await sql`create temp trigger keep_sessions before delete on sessions
      begin select raise(abort, 'injected failure'); end`.execute(service.db);
    try {
      const set = await service.api(`/api/users/${id}/password`, {
        method: 'POST',
        body: { password: 'set by the admin today' },
      });
      expect(set.status).toBe(500);
    } finally {
      await sql`drop trigger temp.keep_sessions`.execute(service.db);
    }
    expect((await service.api('/api/auth/me', { token })).status).toBe(200);
    expect(await logIn(email, 'set by the admin today')).toBeNull();
    expect(await logIn(email, 'the first long password')).not.toBeNull();
  });

  it('limits guesses of the current password as it limits failed logins', async () => {
    const { token } = await account();
    const guesses = [];
    for (let i = 0; i < 4; i++)
      guesses.push(
        (await change(token, { currentPassword: `guess ${i}`, newPassword: 'another long password' })).status,
      );
    expect(guesses).toEqual([400, 400, 400, 429]);
    const limited = await change(token, {
      currentPassword: 'the first long password',
      newPassword: 'another long password',
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('names what is wrong with the new password', async () => {
    const { token } = await account();
    const short = await change(token, { currentPassword: 'the first long password', newPassword: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.message).toContain('newPassword');
    const same = await change(token, {
      currentPassword: 'the first long password',
      newPassword: 'the first long password',
    });
    expect(same.status).toBe(400);
    expect(same.body.message).toContain('body.newPassword: must differ from the current password');
  });

  it('is for people: a token has no password to change', async () => {
    const res = await change(await service.tokenFor('planner'), {
      currentPassword: 'whatever it is',
      newPassword: 'the second long password',
    });
    expect(res.status).toBe(403);
  });

  it('lets an admin set a new password, ending the sessions, and disable and enable an account', async () => {
    const { email, id, token } = await account();
    const set = await service.api(`/api/users/${id}/password`, {
      method: 'POST',
      body: { password: 'set by the admin today' },
    });
    expect(set.status).toBe(204);
    expect((await service.api('/api/auth/me', { token })).status).toBe(401);
    expect(await logIn(email, 'set by the admin today')).not.toBeNull();

    expect((await service.api(`/api/users/${id}/disable`, { method: 'POST' })).status).toBe(204);
    expect(await logIn(email, 'set by the admin today')).toBeNull();
    expect((await service.api(`/api/users/${id}/enable`, { method: 'POST' })).status).toBe(204);
    expect(await logIn(email, 'set by the admin today')).not.toBeNull();

    expect((await service.api('/api/users/nosuch/enable', { method: 'POST' })).status).toBe(404);
    const planner = await service.tokenFor('planner');
    const forbidden = await service.api(`/api/users/${id}/password`, {
      method: 'POST',
      token: planner,
      body: { password: 'a planner tries this' },
    });
    expect(forbidden.status).toBe(403);
  });
});
