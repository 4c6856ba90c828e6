import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type ApiTokenRecord, NotFoundError, ValidationError } from '@aftercare/core';
import type { Selectable } from 'kysely';
import type { ServiceDatabase } from '../db/database.ts';
import type { ApiTokensTable } from '../db/tables.ts';
import { CredentialRevocations } from '../events/credential-revocations.ts';
import { type Principal, principalFor } from '../principal.ts';
import type { Role } from '../schemas.ts';
import { assertScopeExists } from './scope-check.ts';

/** The record of a token (core's `apiTokenSchema`); never the secret. */
export type ApiToken = ApiTokenRecord;

export interface NewApiToken {
  name: string;
  role: Role;
  /** Required for, and only allowed on, customer tokens. */
  customerId?: string | null;
  /** Required for, and only allowed on, technician tokens. */
  technicianId?: string | null;
}

export interface IssuedApiToken {
  /** Shown once; only its SHA-256 is stored. */
  token: string;
  record: ApiToken;
}

/** The prefix lets secret scanners and people recognise a leaked token for what it is. */
const tokenPrefix = 'aft_';

/**
 * Tokens carry 192 random bits, so guessing one is hopeless whatever the hash costs; a fast hash
 * keeps verification cheap on every request while a stolen table still yields no usable token.
 */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toApiToken(row: Selectable<ApiTokensTable>): ApiToken {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    customerId: row.customer_id,
    technicianId: row.technician_id,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

/** The api_tokens table: machine credentials for the HTTP API, each with a role. */
export class TokenRepository {
  /** Tokens revoked here, announced after the database has recorded it (open event streams listen). */
  readonly revocations = new CredentialRevocations();

  constructor(
    private readonly db: ServiceDatabase,
    private readonly clock: () => number = Date.now,
  ) {}

  async create(input: NewApiToken): Promise<IssuedApiToken> {
    const name = input.name.trim();
    if (name.length === 0 || name.length > 200) throw new ValidationError('name: must be 1–200 characters');
    const customerId = input.customerId ?? null;
    if (input.role === 'customer' && customerId === null) {
      throw new ValidationError('customerId: a customer token must name its customer');
    }
    if (input.role !== 'customer' && customerId !== null) {
      throw new ValidationError(
        `customerId: only customer tokens belong to a customer, not ${input.role} tokens`,
      );
    }
    const technicianId = input.technicianId ?? null;
    if (input.role === 'technician' && technicianId === null) {
      throw new ValidationError('technicianId: a technician token must name its technician');
    }
    if (input.role !== 'technician' && technicianId !== null) {
      throw new ValidationError(
        `technicianId: only technician tokens belong to a technician, not ${input.role} tokens`,
      );
    }
    const token = tokenPrefix + randomBytes(24).toString('base64url');
    const row: Selectable<ApiTokensTable> = {
      id: randomUUID(),
      name,
      token_hash: hashApiToken(token),
      role: input.role,
      customer_id: customerId,
      technician_id: technicianId,
      created_at: new Date(this.clock()).toISOString(),
      revoked_at: null,
    };
    await this.db.insertInto('api_tokens').values(row).execute();
    return { token, record: toApiToken(row) };
  }

  /**
   * A token for an administrator to hand out: as `create`, and the customer or technician it is confined
   * to must exist, so that a typo does not give a machine a credential that sees nothing.
   */
  async issue(input: NewApiToken): Promise<IssuedApiToken> {
    await assertScopeExists(this.db, input);
    return this.create(input);
  }

  /** The principal a token stands for, or null when it is unknown or revoked. */
  async verify(token: string): Promise<Principal | null> {
    if (!token.startsWith(tokenPrefix)) return null;
    const row = await this.db
      .selectFrom('api_tokens')
      .select(['id', 'role', 'customer_id', 'technician_id'])
      .where('token_hash', '=', hashApiToken(token))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) return null;
    // A customer or technician row without its id (a check constraint or the create rules rule it
    // out) is refused rather than allowed to see everything.
    return principalFor(
      row.role,
      { customerId: row.customer_id, technicianId: row.technician_id },
      { via: 'api_token', tokenId: row.id, userId: null, expiresAt: null },
    );
  }

  async list(): Promise<ApiToken[]> {
    const rows = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toApiToken);
  }

  /** Revoking twice is harmless; the first revocation time is kept. */
  async revoke(tokenId: string): Promise<void> {
    const existing = await this.db
      .selectFrom('api_tokens')
      .select('id')
      .where('id', '=', tokenId)
      .executeTakeFirst();
    if (!existing) throw new NotFoundError('api token', tokenId);
    await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: new Date(this.clock()).toISOString() })
      .where('id', '=', tokenId)
      .where('revoked_at', 'is', null)
      .execute();
    this.revocations.publish({ kind: 'api_token', tokenId });
  }
}
