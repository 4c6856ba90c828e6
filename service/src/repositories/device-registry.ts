import {
  ConflictError,
  type Device,
  type DeviceModel,
  generateSecret,
  hashSecret,
  NotFoundError,
  type ProvisionDeviceBody,
} from '@aftercare/core';
import type { Selectable } from 'kysely';
import type { ServiceDatabase } from '../db/database.ts';
import type { DevicesTable } from '../db/tables.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';

/** What the broker needs to log a device in: the stored hash of its secret, or null when unknown. */
export interface DeviceCredentials {
  lookupSecretHash(deviceId: string): Promise<string | null>;
}

export interface DeviceFilter {
  model?: DeviceModel | undefined;
  customerId?: string | undefined;
}

export interface DevicePage extends DeviceFilter {
  limit: number;
  offset: number;
}

export interface ProvisionedDevice {
  device: Device;
  /** The only time the secret exists outside the device: only its hash is stored. */
  secret: string;
}

type DeviceRow = Omit<Selectable<DevicesTable>, 'secret_hash'>;

const deviceColumns = [
  'id',
  'model',
  'serial',
  'customer_id',
  'lat',
  'lon',
  'address',
  'installed_at',
  'created_at',
  'updated_at',
] as const;

function toDevice(row: DeviceRow): Device {
  const location =
    row.lat === null || row.lon === null
      ? null
      : { lat: row.lat, lon: row.lon, ...(row.address === null ? {} : { address: row.address }) };
  return {
    id: row.id,
    model: row.model,
    serial: row.serial,
    customerId: row.customer_id,
    location,
    installedAt: row.installed_at,
    createdAt: row.created_at,
  };
}

/**
 * The devices table: who exists, what model, whose, where, and the hash of each device's MQTT
 * secret. It generates the secrets itself so that no caller ever holds one it could store.
 */
export class DeviceRegistry implements DeviceCredentials {
  constructor(
    private readonly db: ServiceDatabase,
    private readonly clock: () => number = Date.now,
  ) {}

  async provision(input: ProvisionDeviceBody): Promise<ProvisionedDevice> {
    const secret = generateSecret();
    const now = new Date(this.clock()).toISOString();
    const row: DeviceRow = {
      id: input.id,
      model: input.model,
      serial: input.serial ?? null,
      customer_id: input.customerId ?? null,
      lat: input.location?.lat ?? null,
      lon: input.location?.lon ?? null,
      address: input.location?.address ?? null,
      // Normalised to UTC so that stored instants compare correctly as text.
      installed_at: input.installedAt === undefined ? null : new Date(input.installedAt).toISOString(),
      created_at: now,
      updated_at: now,
    };
    try {
      await this.db
        .insertInto('devices')
        .values({ ...row, secret_hash: await hashSecret(secret) })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`device ${input.id} is already provisioned`);
      throw err;
    }
    return { device: toDevice(row), secret };
  }

  async get(id: string): Promise<Device | null> {
    const row = await this.db
      .selectFrom('devices')
      .select(deviceColumns)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toDevice(row) : null;
  }

  /** Ordered by id, so that paging through a changing fleet neither skips nor repeats a device. */
  async list(page: DevicePage): Promise<Device[]> {
    const rows = await this.filtered(page)
      .select(deviceColumns)
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return rows.map(toDevice);
  }

  async count(filter: DeviceFilter = {}): Promise<number> {
    const { total } = await this.filtered(filter)
      .select((eb) => eb.fn.countAll<number | string>().as('total'))
      .executeTakeFirstOrThrow();
    // PostgreSQL returns count(*) as a bigint string.
    return Number(total);
  }

  async lookupSecretHash(deviceId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('devices')
      .select('secret_hash')
      .where('id', '=', deviceId)
      .executeTakeFirst();
    return row?.secret_hash ?? null;
  }

  /** Issues a new secret and forgets the old one; the device must be given the returned value. */
  async rotateSecret(deviceId: string): Promise<string> {
    const secret = generateSecret();
    const result = await this.db
      .updateTable('devices')
      .set({ secret_hash: await hashSecret(secret), updated_at: new Date(this.clock()).toISOString() })
      .where('id', '=', deviceId)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new NotFoundError('device', deviceId);
    return secret;
  }

  private filtered(filter: DeviceFilter) {
    let query = this.db.selectFrom('devices');
    if (filter.model !== undefined) query = query.where('model', '=', filter.model);
    if (filter.customerId !== undefined) query = query.where('customer_id', '=', filter.customerId);
    return query;
  }
}
