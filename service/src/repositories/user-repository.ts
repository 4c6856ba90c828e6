import { createHash, randomBytes } from 'node:crypto';
import {
  ConflictError,
  type CreateUserBody,
  hashSecret,
  NotFoundError,
  type User,
  verifySecret,
} from '@aftercare/core';
import type { Selectable } from 'kysely';
import type { ServiceDatabase } from '../db/database.ts';
import { newId } from '../db/query-helpers.ts';
import type { UsersTable } from '../db/tables.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import { CredentialRevocations } from '../events/credential-revocations.ts';
import { type Principal, principalFor } from '../principal.ts';
import { assertScopeExists } from './scope-check.ts';

export interface Session {
  /** Shown once, at login; only its SHA-256 is stored. */
  token: string;
  expiresAt: number;
  user: User;
}

const sessionPrefix = 'acs_';

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function toUser(row: Omit<Selectable<UsersTable>, 'password_hash'>): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    customerId: row.customer_id,
    technicianId: row.technician_id,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}

const userColumns = [
  'id',
  'email',
  'name',
  'role',
  'customer_id',
  'technician_id',
  'created_at',
  'disabled_at',
] as const;

/**
 * People's accounts and their login sessions. Passwords are stored as expensive scrypt hashes;
 * session tokens carry 192 random bits and are stored as SHA-256, like API tokens.
 */
export class UserRepository {
  /** Verified against when the email is unknown, so both failures cost the same time. */
  private decoyHash: Promise<string> | null = null;
  /** Sessions ended here, announced after the database has dropped them (open event streams listen). */
  readonly revocations = new CredentialRevocations();

  constructor(
    private readonly db: ServiceDatabase,
    private readonly options: { clock?: () => number; sessionHours?: number } = {},
  ) {}

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }

  async create(input: CreateUserBody): Promise<User> {
    await assertScopeExists(this.db, input);
    const row: Selectable<UsersTable> = {
      id: newId(),
      email: input.email.toLowerCase(),
      name: input.name ?? null,
      password_hash: await hashSecret(input.password, 'human'),
      role: input.role,
      customer_id: input.customerId ?? null,
      technician_id: input.technicianId ?? null,
      created_at: this.now(),
      disabled_at: null,
    };
    try {
      await this.db.insertInto('users').values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`a user with email ${row.email} already exists`);
      throw err;
    }
    return toUser(row);
  }

  async get(id: string): Promise<User | null> {
    const row = await this.db.selectFrom('users').select(userColumns).where('id', '=', id).executeTakeFirst();
    return row ? toUser(row) : null;
  }

  async findByEmail(email: string): Promise<User | null> {
    const row = await this.db
      .selectFrom('users')
      .select(userColumns)
      .where('email', '=', email.trim().toLowerCase())
      .executeTakeFirst();
    return row ? toUser(row) : null;
  }

  async list(): Promise<User[]> {
    const rows = await this.db.selectFrom('users').select(userColumns).orderBy('email').execute();
    return rows.map(toUser);
  }

  /**
   * Links a technician account to another technician; its sessions act for it from their next request,
   * and its open event streams, authorised for the old technician, are ended.
   */
  async linkTechnician(id: string, technicianId: string, name?: string): Promise<void> {
    await assertScopeExists(this.db, { technicianId });
    const result = await this.db
      .updateTable('users')
      .set({ technician_id: technicianId, ...(name === undefined ? {} : { name }) })
      .where('id', '=', id)
      .where('role', '=', 'technician')
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new NotFoundError('technician account', id);
    this.revocations.publish({ kind: 'user', userId: id });
  }

  /**
   * Links a customer account to another customer; its sessions act for it from their next request,
   * and its open event streams, authorised for the old customer, are ended.
   */
  async linkCustomer(id: string, customerId: string, name?: string): Promise<void> {
    await assertScopeExists(this.db, { customerId });
    const result = await this.db
      .updateTable('users')
      .set({ customer_id: customerId, ...(name === undefined ? {} : { name }) })
      .where('id', '=', id)
      .where('role', '=', 'customer')
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new NotFoundError('customer account', id);
    this.revocations.publish({ kind: 'user', userId: id });
  }

  async disable(id: string): Promise<void> {
    // One transaction: an account is never left disabled with its sessions still valid.
    await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('users')
        .set({ disabled_at: this.now() })
        .where('id', '=', id)
        .where('disabled_at', 'is', null)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) {
        const exists = await trx.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst();
        if (!exists) throw new NotFoundError('user', id);
      }
      await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    });
    this.revocations.publish({ kind: 'user', userId: id });
  }

  /** An admin's reset: a new password, and every session of the account ends with the old one. */
  async setPassword(id: string, password: string): Promise<void> {
    const hash = await hashSecret(password, 'human');
    await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('users')
        .set({ password_hash: hash })
        .where('id', '=', id)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw new NotFoundError('user', id);
      await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    });
    this.revocations.publish({ kind: 'user', userId: id });
  }

  /**
   * A new session for the email and password, or null when they do not match an enabled account.
   * Which of the two was wrong is not told, and an unknown email costs the same scrypt as a known one.
   */
  async login(email: string, password: string): Promise<Session | null> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email.trim().toLowerCase())
      .executeTakeFirst();
    if (!row) {
      this.decoyHash ??= hashSecret(randomBytes(16).toString('hex'), 'human');
      await verifySecret(password, await this.decoyHash);
      return null;
    }
    const valid = await verifySecret(password, row.password_hash);
    if (!valid || row.disabled_at !== null) return null;
    return this.startSession(row);
  }

  /**
   * A user changing their own password: the current one must be right (null when it is not). Every
   * session of the account ends, other devices included, and a new one is answered for the caller;
   * all of it or, should any step fail, none.
   */
  async changePassword(id: string, current: string, next: string): Promise<Session | null> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError('user', id);
    if (row.disabled_at !== null || !(await verifySecret(current, row.password_hash))) return null;
    // Both scrypts run before the transaction: inside it they would hold SQLite's one writer.
    const hash = await hashSecret(next, 'human');
    const session = await this.db.transaction().execute(async (trx) => {
      // Only over the hash `current` was checked against: of two changes at once, the later finds the
      // password changed and is refused as a wrong one, instead of overwriting the first.
      const user = await trx
        .updateTable('users')
        .set({ password_hash: hash })
        .where('id', '=', id)
        .where('password_hash', '=', row.password_hash)
        .where('disabled_at', 'is', null)
        .returning(userColumns)
        .executeTakeFirst();
      if (!user) return null;
      await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
      return this.startSession(user, trx);
    });
    // Told once committed: a listener that drops streams must not act on a change rolled back.
    if (session) this.revocations.publish({ kind: 'user', userId: id });
    return session;
  }

  /** A disabled account may log in again; its old sessions stay ended. */
  async enable(id: string): Promise<void> {
    const result = await this.db
      .updateTable('users')
      .set({ disabled_at: null })
      .where('id', '=', id)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new NotFoundError('user', id);
  }

  private async startSession(
    row: Omit<Selectable<UsersTable>, 'password_hash'>,
    db: ServiceDatabase = this.db,
  ): Promise<Session> {
    const token = sessionPrefix + randomBytes(24).toString('base64url');
    const now = this.now();
    const expiresAt = now + (this.options.sessionHours ?? 12) * 3_600_000;
    await db
      .insertInto('sessions')
      .values({
        id: newId(),
        user_id: row.id,
        token_hash: sha256(token),
        created_at: now,
        expires_at: expiresAt,
      })
      .execute();
    // Expired sessions of anyone are swept on each login: the table stays as small as the active users.
    await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
    return { token, expiresAt, user: toUser(row) };
  }

  /** The principal a session token stands for, or null when unknown, expired or its user disabled. */
  async verifySession(token: string): Promise<Principal | null> {
    if (!token.startsWith(sessionPrefix)) return null;
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.id as session_id',
        'sessions.expires_at',
        'users.id as user_id',
        'users.role',
        'users.customer_id',
        'users.technician_id',
        'users.disabled_at',
      ])
      .where('sessions.token_hash', '=', sha256(token))
      .executeTakeFirst();
    if (!row || row.expires_at <= this.now() || row.disabled_at !== null) return null;
    return principalFor(
      row.role,
      { customerId: row.customer_id, technicianId: row.technician_id },
      { via: 'session', tokenId: row.session_id, userId: row.user_id, expiresAt: row.expires_at },
    );
  }

  /** Ends a session; ending one that is gone already is harmless. */
  async logout(token: string): Promise<void> {
    const ended = await this.db
      .deleteFrom('sessions')
      .where('token_hash', '=', sha256(token))
      .returning('id')
      .execute();
    for (const { id } of ended) this.revocations.publish({ kind: 'session', sessionId: id });
  }

  isSessionToken(token: string): boolean {
    return token.startsWith(sessionPrefix);
  }
}
