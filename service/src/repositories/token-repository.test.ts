import { createHash } from 'node:crypto';
import { ValidationError } from '@aftercare/core';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, type ServiceDatabase } from '../db/database.ts';
import type { CredentialRevocation } from '../events/credential-revocations.ts';
import { TokenRepository } from './token-repository.ts';

describe('TokenRepository', () => {
  let db: ServiceDatabase;
  let tokens: TokenRepository;
  beforeEach(async () => {
    db = await createDatabase({ file: ':memory:' });
    tokens = new TokenRepository(db);
  });
  afterEach(() => db.destroy());

  it('issues a 192-bit token once and stores only its SHA-256', async () => {
    const { token, record } = await tokens.create({ name: 'planner console', role: 'planner' });
    const rows = await db.selectFrom('api_tokens').selectAll().execute();
    expect(token).toMatch(/^aft_[A-Za-z0-9_-]{32}$/);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token.slice(4));
    expect(record).toMatchObject({
      name: 'planner console',
      role: 'planner',
      customerId: null,
      revokedAt: null,
    });
  });

  it('verifies a token into the principal it was issued for', async () => {
    const planner = await tokens.create({ name: 'p', role: 'planner' });
    const customer = await tokens.create({ name: 'c', role: 'customer', customerId: 'acme' });
    const technician = await tokens.create({ name: 't', role: 'technician', technicianId: 'tech-1' });
    const machine = { via: 'api_token', userId: null, expiresAt: null };
    expect(await tokens.verify(planner.token)).toEqual({
      ...machine,
      role: 'planner',
      customerId: null,
      technicianId: null,
      tokenId: planner.record.id,
    });
    expect(await tokens.verify(customer.token)).toEqual({
      ...machine,
      role: 'customer',
      customerId: 'acme',
      technicianId: null,
      tokenId: customer.record.id,
    });
    expect(await tokens.verify(technician.token)).toEqual({
      ...machine,
      role: 'technician',
      customerId: null,
      technicianId: 'tech-1',
      tokenId: technician.record.id,
    });
  });

  it('refuses unknown and revoked tokens', async () => {
    const { token, record } = await tokens.create({ name: 't', role: 'technician', technicianId: 'tech-1' });
    expect(await tokens.verify(`${token}x`)).toBeNull();
    expect(await tokens.verify('not-even-shaped-like-one')).toBeNull();
    await tokens.revoke(record.id);
    await tokens.revoke(record.id);
    expect(await tokens.verify(token)).toBeNull();
    expect((await tokens.list())[0]!.revokedAt).not.toBeNull();
  });

  it('announces a revoked token, so connections it opened can be ended', async () => {
    const { record } = await tokens.create({ name: 'p', role: 'planner' });
    const announced: CredentialRevocation[] = [];
    tokens.revocations.subscribe((revocation) => announced.push(revocation));
    await tokens.revoke(record.id);
    expect(announced).toEqual([{ kind: 'api_token', tokenId: record.id }]);
  });

  it('ties customer tokens, and only those, to a customer, and technician tokens to a technician', async () => {
    await expect(tokens.create({ name: 't', role: 'technician' })).rejects.toThrow(/^technicianId:/);
    await expect(tokens.create({ name: 'p', role: 'planner', technicianId: 'tech-1' })).rejects.toThrow(
      /^technicianId:/,
    );
    await expect(tokens.create({ name: 'c', role: 'customer' })).rejects.toThrow(ValidationError);
    await expect(tokens.create({ name: 'p', role: 'planner', customerId: 'acme' })).rejects.toThrow(
      ValidationError,
    );
    await expect(tokens.create({ name: '  ', role: 'planner' })).rejects.toThrow(ValidationError);
  });

  it('has the database refuse a customer row without a customer or an unknown role', async () => {
    const insert = (role: string, customer: string | null) =>
      sql`insert into api_tokens (id, name, token_hash, role, customer_id, created_at)
          values (${role}, 'x', ${role.padEnd(64, '0')}, ${role}, ${customer}, '2025-01-01T00:00:00.000Z')`.execute(
        db,
      );
    await expect(insert('customer', null)).rejects.toThrow(/CHECK constraint/);
    await expect(insert('superuser', null)).rejects.toThrow(/CHECK constraint/);
  });
});
