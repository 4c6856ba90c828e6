import {
  ConflictError,
  type DeviceModel,
  generateSecret,
  hashSecret,
  NotFoundError,
  type ProvisionServiceDeviceBody,
  type ServiceDevice,
  type UpdateDeviceBody,
  ValidationError,
} from '@aftercare/core';
import type { Selectable } from 'kysely';
import type { ServiceDatabase } from '../db/database.ts';
import { chunksOf, ID_CHUNK } from '../db/query-helpers.ts';
import type { DevicesTable } from '../db/tables.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import { assertScopeExists } from './scope-check.ts';

/** What the broker needs to log a device in: the stored hash of its secret, or null when unknown. */
export interface DeviceCredentials {
  lookupSecretHash(deviceId: string): Promise<string | null>;
}

export interface DeviceFilter {
  model?: DeviceModel | undefined;
  customerId?: string | undefined;
  siteId?: string | undefined;
  /** Only devices with a ticket assigned to this technician (a technician's own view). */
  technicianId?: string | undefined;
}

export interface DevicePage extends DeviceFilter {
  limit: number;
  offset: number;
}

/** What the fleet list shows of a device besides its health. */
export type FleetEntry = Pick<ServiceDevice, 'id' | 'model' | 'serial' | 'customerId' | 'installedAt'>;

export interface ProvisionedDevice {
  device: ServiceDevice;
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
  'site_id',
  'warranty_ends_at',
] as const;

function toDevice(row: DeviceRow): ServiceDevice {
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
    siteId: row.site_id,
    warrantyEndsAt: row.warranty_ends_at,
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

  async provision(input: ProvisionServiceDeviceBody): Promise<ProvisionedDevice> {
    if (input.customerId !== undefined) await assertScopeExists(this.db, { customerId: input.customerId });
    const site =
      input.siteId === undefined ? null : await this.siteOf(input.siteId, input.customerId ?? null);
    const secret = generateSecret();
    const now = new Date(this.clock()).toISOString();
    const row: DeviceRow = {
      id: input.id,
      model: input.model,
      serial: input.serial ?? null,
      customer_id: input.customerId ?? null,
      // A device placed on a site without a location of its own is where the site is.
      lat: input.location?.lat ?? site?.lat ?? null,
      lon: input.location?.lon ?? site?.lon ?? null,
      address: input.location ? (input.location.address ?? null) : (site?.address ?? null),
      // Normalised to UTC so that stored instants compare correctly as text.
      installed_at: input.installedAt === undefined ? null : new Date(input.installedAt).toISOString(),
      created_at: now,
      updated_at: now,
      site_id: site?.id ?? null,
      warranty_ends_at: input.warrantyEndsAt ?? null,
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

  async get(id: string): Promise<ServiceDevice | null> {
    const row = await this.db
      .selectFrom('devices')
      .select(deviceColumns)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toDevice(row) : null;
  }

  /** The devices of `ids` that are registered, in a few queries (unordered). */
  async getMany(ids: readonly string[]): Promise<ServiceDevice[]> {
    const devices: ServiceDevice[] = [];
    for (const chunk of chunksOf([...new Set(ids)], ID_CHUNK)) {
      const rows = await this.db
        .selectFrom('devices')
        .select(deviceColumns)
        .where('id', 'in', chunk)
        .execute();
      devices.push(...rows.map(toDevice));
    }
    return devices;
  }

  /** Ordered by id, so that paging through a changing fleet neither skips nor repeats a device. */
  async list(page: DevicePage): Promise<ServiceDevice[]> {
    const rows = await this.filtered(page)
      .select(deviceColumns)
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return rows.map(toDevice);
  }

  /** Id and model of every matching device in one query: what fleet-wide counts need, without paging. */
  async models(filter: DeviceFilter = {}): Promise<{ id: string; model: DeviceModel }[]> {
    return this.filtered(filter).select(['id', 'model']).execute();
  }

  /** The fleet list's columns of every matching device in one query: the list is sorted by health, not here. */
  async fleetEntries(filter: DeviceFilter = {}): Promise<FleetEntry[]> {
    const rows = await this.filtered(filter)
      .select(['id', 'model', 'serial', 'customer_id', 'installed_at'])
      .execute();
    return rows.map((r) => ({
      id: r.id,
      model: r.model,
      serial: r.serial,
      customerId: r.customer_id,
      installedAt: r.installed_at,
    }));
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

  /**
   * Changes who owns a device, where it is installed and its dates; fields left out stay as they are,
   * null clears them. A site must belong to the device's customer.
   */
  async update(id: string, patch: UpdateDeviceBody): Promise<ServiceDevice> {
    const current = await this.get(id);
    if (current === null) throw new NotFoundError('device', id);
    const customerId = patch.customerId !== undefined ? patch.customerId : current.customerId;
    if (patch.customerId !== undefined && patch.customerId !== null)
      // A device's owner must exist: its tickets, contracts and customer views all hang on it.
      await assertScopeExists(this.db, { customerId: patch.customerId });
    const siteId = patch.siteId !== undefined ? patch.siteId : current.siteId;
    const site = siteId === null ? null : await this.siteOf(siteId, customerId);
    const set: Partial<DeviceRow> = {
      customer_id: customerId,
      site_id: siteId,
      updated_at: new Date(this.clock()).toISOString(),
    };
    // A device placed on another site is where that site is, as one created on it: an address of its
    // own from before would send a technician to the old one.
    if (site !== null && site.id !== current.siteId) {
      set.lat = site.lat;
      set.lon = site.lon;
      set.address = site.address;
    }
    if (patch.serial !== undefined) set.serial = patch.serial;
    if (patch.installedAt !== undefined)
      set.installed_at = patch.installedAt === null ? null : new Date(patch.installedAt).toISOString();
    if (patch.warrantyEndsAt !== undefined) set.warranty_ends_at = patch.warrantyEndsAt;
    await this.db.updateTable('devices').set(set).where('id', '=', id).execute();
    return (await this.get(id))!;
  }

  /** Whether a technician has (or had) a job on the device: what lets it see the device. */
  async isAssignedTo(deviceId: string, technicianId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('tickets')
      .select('id')
      .where('device_id', '=', deviceId)
      .where('technician_id', '=', technicianId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The site, checked to exist and to belong to the device's customer. */
  private async siteOf(siteId: string, customerId: string | null) {
    const site = await this.db
      .selectFrom('sites')
      .select(['id', 'customer_id', 'lat', 'lon', 'address'])
      .where('id', '=', siteId)
      .executeTakeFirst();
    if (!site) throw new ValidationError(`siteId: there is no site ${siteId}`);
    if (site.customer_id !== customerId)
      throw new ValidationError(`siteId: site ${siteId} belongs to another customer than the device`);
    return site;
  }

  private filtered(filter: DeviceFilter) {
    let query = this.db.selectFrom('devices');
    if (filter.model !== undefined) query = query.where('model', '=', filter.model);
    if (filter.customerId !== undefined) query = query.where('customer_id', '=', filter.customerId);
    if (filter.siteId !== undefined) query = query.where('site_id', '=', filter.siteId);
    if (filter.technicianId !== undefined) {
      const technicianId = filter.technicianId;
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('tickets')
            .select('tickets.id')
            .whereRef('tickets.device_id', '=', 'devices.id')
            .where('tickets.technician_id', '=', technicianId),
        ),
      );
    }
    return query;
  }
}
