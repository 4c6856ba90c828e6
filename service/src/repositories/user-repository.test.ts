import { ConflictError, verifySecret } from '@aftercare/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aServiceScene, type Repositories, repositories } from '../../test/support/world.ts';
import { createDatabase, type ServiceDatabase } from '../db/database.ts';
import type { CredentialRevocation } from '../events/credential-revocations.ts';

describe('UserRepository', () => {
  let db: ServiceDatabase;
  let repos: Repositories;
  let scene: Awaited<ReturnType<typeof aServiceScene>>;
  const password = 'correct horse battery staple';
  beforeEach(async () => {
    db = await createDatabase({ file: ':memory:' });
    repos = repositories(db);
    scene = await aServiceScene(repos);
  });
  afterEach(() => db.destroy());

  it('stores an expensive scrypt hash of the password, never the password', async () => {
    const user = await repos.users.create({ email: 'Planner@Example.com', password, role: 'planner' });
    const row = await db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(user.email).toBe('planner@example.com');
    expect(row.password_hash).toMatch(/^scrypt\$32768\$/);
    expect(JSON.stringify(row)).not.toContain(password);
    expect(await verifySecret(password, row.password_hash)).toBe(true);
  });

  it('keeps one account per email, whatever its case', async () => {
    await repos.users.create({ email: 'a@example.com', password, role: 'planner' });
    await expect(repos.users.create({ email: 'a@example.com', password, role: 'admin' })).rejects.toThrow(
      ConflictError,
    );
  });

  it('ties customer and technician accounts to records that exist', async () => {
    await expect(
      repos.users.create({ email: 'c@example.com', password, role: 'customer', customerId: 'nobody' }),
    ).rejects.toThrow(/^customerId: there is no customer nobody/);
    const tech = await repos.users.create({
      email: 't@example.com',
      password,
      role: 'technician',
      technicianId: scene.technician.id,
    });
    expect(tech).toMatchObject({ role: 'technician', technicianId: scene.technician.id, customerId: null });
  });

  it('logs in into a session whose token verifies to the principal, until it expires', async () => {
    const user = await repos.users.create({
      email: 'c@example.com',
      password,
      role: 'customer',
      customerId: scene.customer.id,
    });
    const session = (await repos.users.login(' C@example.com ', password))!;
    expect(session.token).toMatch(/^acs_/);
    expect(session.expiresAt).toBe(repos.time.now + 12 * 3_600_000);
    expect(await repos.users.verifySession(session.token)).toEqual({
      role: 'customer',
      customerId: scene.customer.id,
      technicianId: null,
      via: 'session',
      userId: user.id,
      tokenId: expect.any(String),
      expiresAt: session.expiresAt,
    });
    const stored = await db.selectFrom('sessions').select('token_hash').execute();
    expect(JSON.stringify(stored)).not.toContain(session.token);
    repos.time.now = session.expiresAt;
    expect(await repos.users.verifySession(session.token)).toBeNull();
  });

  it('answers null alike for a wrong password, an unknown email and a disabled account', async () => {
    const user = await repos.users.create({ email: 'p@example.com', password, role: 'planner' });
    expect(await repos.users.login('p@example.com', 'wrong password!!')).toBeNull();
    expect(await repos.users.login('nobody@example.com', password)).toBeNull();
    const session = (await repos.users.login('p@example.com', password))!;
    await repos.users.disable(user.id);
    expect(await repos.users.login('p@example.com', password)).toBeNull();
    expect(await repos.users.verifySession(session.token)).toBeNull();
  });

  it('ends a session on logout', async () => {
    await repos.users.create({ email: 'p@example.com', password, role: 'planner' });
    const session = (await repos.users.login('p@example.com', password))!;
    await repos.users.logout(session.token);
    await repos.users.logout(session.token);
    expect(await repos.users.verifySession(session.token)).toBeNull();
  });

  it('announces the sessions it ends: one at logout, all of an account it disables or re-keys', async () => {
    const user = await repos.users.create({ email: 'p@example.com', password, role: 'planner' });
    const announced: CredentialRevocation[] = [];
    repos.users.revocations.subscribe((revocation) => announced.push(revocation));
    const session = (await repos.users.login('p@example.com', password))!;
    const principal = (await repos.users.verifySession(session.token))!;
    await repos.users.logout(session.token);
    await repos.users.logout(session.token);
    expect(announced).toEqual([{ kind: 'session', sessionId: principal.tokenId }]);
    await repos.users.setPassword(user.id, 'another long password');
    await repos.users.disable(user.id);
    expect(announced.slice(1)).toEqual([
      { kind: 'user', userId: user.id },
      { kind: 'user', userId: user.id },
    ]);
  });

  it('lets one of two password changes made at once from the same current password through, not both', async () => {
    const user = await repos.users.create({ email: 'p@example.com', password, role: 'planner' });
    const stale = (await repos.users.login('p@example.com', password))!;
    const nexts = ['the second long password', 'the third long password'];
    const sessions = await Promise.all(
      nexts.map((next) => repos.users.changePassword(user.id, password, next)),
    );
    const winner = sessions.findIndex((s) => s !== null);
    expect(sessions.filter((s) => s === null)).toHaveLength(1);
    expect(await repos.users.login('p@example.com', nexts[1 - winner]!)).toBeNull();
    expect(await repos.users.login('p@example.com', password)).toBeNull();
    expect(await repos.users.login('p@example.com', nexts[winner]!)).not.toBeNull();
    expect(await repos.users.verifySession(sessions[winner]!.token)).not.toBeNull();
    expect(await repos.users.verifySession(stale.token)).toBeNull();
  });
});
