import { ConflictError, NotFoundError, verifySecret } from '@aftercare/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aCustomer, aDevice } from '../../test/support/factories.ts';
import { createDatabase, type ServiceDatabase } from '../db/database.ts';
import { CustomerRepository } from './customer-repository.ts';
import { DeviceRegistry } from './device-registry.ts';

describe('DeviceRegistry', () => {
  let db: ServiceDatabase;
  let registry: DeviceRegistry;
  beforeEach(async () => {
    db = await createDatabase({ file: ':memory:' });
    registry = new DeviceRegistry(db, () => Date.UTC(2025, 10, 26, 12));
    const customers = new CustomerRepository(db);
    for (const id of ['acme', 'globex']) await customers.create(aCustomer({ id }));
  });
  afterEach(() => db.destroy());

  describe('provision', () => {
    it('stores a hash that verifies the returned secret, never the secret itself', async () => {
      const { device, secret } = await registry.provision(aDevice({ id: 'ac-1' }));
      const stored = await registry.lookupSecretHash('ac-1');
      expect(device.id).toBe('ac-1');
      expect(secret.length).toBeGreaterThanOrEqual(32);
      expect(stored).not.toContain(secret);
      expect(await verifySecret(secret, stored!)).toBe(true);
      expect(await verifySecret(`${secret}x`, stored!)).toBe(false);
    });

    it('keeps model, serial, customer, location and install date as given, the date in UTC', async () => {
      const { device } = await registry.provision({
        id: 'fridge-7',
        model: 'refrigerator',
        serial: 'SN-1',
        customerId: 'acme',
        location: { lat: 12.97, lon: 77.59, address: 'MG Road 1' },
        installedAt: '2025-03-01T10:00:00+05:30',
      });
      const expected = {
        id: 'fridge-7',
        model: 'refrigerator',
        serial: 'SN-1',
        customerId: 'acme',
        location: { lat: 12.97, lon: 77.59, address: 'MG Road 1' },
        installedAt: '2025-03-01T04:30:00.000Z',
        createdAt: '2025-11-26T12:00:00.000Z',
        siteId: null,
        warrantyEndsAt: null,
      };
      expect(device).toEqual(expected);
      expect(await registry.get('fridge-7')).toEqual(expected);
    });

    it('refuses a customer that does not exist, naming customerId', async () => {
      await expect(registry.provision(aDevice({ id: 'orphan', customerId: 'cust-9999' }))).rejects.toThrow(
        /^customerId: there is no customer cust-9999$/,
      );
      expect(await registry.get('orphan')).toBeNull();
    });

    it('refuses an id that is already provisioned and keeps the first secret', async () => {
      const { secret } = await registry.provision(aDevice({ id: 'dup' }));
      await expect(registry.provision(aDevice({ id: 'dup' }))).rejects.toThrow(ConflictError);
      expect(await verifySecret(secret, (await registry.lookupSecretHash('dup'))!)).toBe(true);
    });
  });

  describe('getMany', () => {
    it('reads the registered devices among many ids, across more ids than one query takes', async () => {
      await registry.provision(aDevice({ id: 'ac-1' }));
      await registry.provision(aDevice({ id: 'ac-2' }));
      const ids = [...Array.from({ length: 1200 }, (_, i) => `missing-${i}`), 'ac-2', 'ac-1', 'ac-1'];
      const devices = await registry.getMany(ids);
      expect(devices.map((d) => d.id).sort()).toEqual(['ac-1', 'ac-2']);
      expect(devices.find((d) => d.id === 'ac-1')).toEqual(await registry.get('ac-1'));
    });
  });

  describe('service fields', () => {
    it('places a device on a site of its customer, taking the site position when it has none', async () => {
      await db
        .insertInto('sites')
        .values({
          id: 'hq',
          customer_id: 'acme',
          name: 'HQ',
          address: '1 Main St',
          lat: 12.9,
          lon: 77.6,
          created_at: 0,
        })
        .execute();
      const { device } = await registry.provision(
        aDevice({ id: 'ac-site', customerId: 'acme', siteId: 'hq', warrantyEndsAt: 1_900_000_000_000 }),
      );
      expect(device).toMatchObject({
        siteId: 'hq',
        warrantyEndsAt: 1_900_000_000_000,
        location: { lat: 12.9, lon: 77.6, address: '1 Main St' },
      });
      await expect(registry.provision(aDevice({ customerId: 'globex', siteId: 'hq' }))).rejects.toThrow(
        /^siteId: site hq belongs to another customer/,
      );
    });

    it('updates ownership and dates, leaving out fields as they were and clearing nulls', async () => {
      await registry.provision(aDevice({ id: 'upd', serial: 'SN-9', customerId: 'acme' }));
      const updated = await registry.update('upd', {
        warrantyEndsAt: 5,
        installedAt: '2025-01-01T00:00:00Z',
        customerId: null,
      });
      expect(updated).toMatchObject({
        serial: 'SN-9',
        customerId: null,
        warrantyEndsAt: 5,
        installedAt: '2025-01-01T00:00:00.000Z',
      });
      await expect(registry.update('nope', {})).rejects.toThrow(NotFoundError);
    });

    it('refuses to hand a device to a customer that does not exist, and leaves it as it was', async () => {
      await registry.provision(aDevice({ id: 'owned', customerId: 'acme' }));
      await expect(registry.update('owned', { customerId: 'cust-8888' })).rejects.toThrow(
        /^customerId: there is no customer cust-8888$/,
      );
      expect(await registry.get('owned')).toMatchObject({ customerId: 'acme' });
      expect(await registry.update('owned', { customerId: 'globex' })).toMatchObject({
        customerId: 'globex',
      });
    });
  });

  it('answers null for a device it does not know', async () => {
    expect(await registry.get('nope')).toBeNull();
    expect(await registry.lookupSecretHash('nope')).toBeNull();
  });

  describe('list and count', () => {
    beforeEach(async () => {
      for (const [id, model, customerId] of [
        ['d5', 'split-ac', 'acme'],
        ['d1', 'split-ac', 'acme'],
        ['d3', 'refrigerator', 'acme'],
        ['d2', 'split-ac', 'globex'],
        ['d4', 'water-purifier', undefined],
      ] as const) {
        await registry.provision({ id, model, ...(customerId ? { customerId } : {}) });
      }
    });

    it('pages in id order', async () => {
      const ids = async (offset: number) => (await registry.list({ limit: 2, offset })).map((d) => d.id);
      expect([await ids(0), await ids(2), await ids(4)]).toEqual([['d1', 'd2'], ['d3', 'd4'], ['d5']]);
      expect(await registry.count()).toBe(5);
    });

    it('filters by model and customer together', async () => {
      const filter = { model: 'split-ac', customerId: 'acme' } as const;
      expect((await registry.list({ ...filter, limit: 10, offset: 0 })).map((d) => d.id)).toEqual([
        'd1',
        'd5',
      ]);
      expect(await registry.count(filter)).toBe(2);
      expect(await registry.count({ customerId: 'nobody' })).toBe(0);
    });
  });

  describe('rotateSecret', () => {
    it('makes the old secret stop working and the new one work', async () => {
      const { secret: old } = await registry.provision(aDevice({ id: 'rot' }));
      const fresh = await registry.rotateSecret('rot');
      const stored = (await registry.lookupSecretHash('rot'))!;
      expect(await verifySecret(old, stored)).toBe(false);
      expect(await verifySecret(fresh, stored)).toBe(true);
    });

    it('fails for an unknown device', async () => {
      await expect(registry.rotateSecret('ghost')).rejects.toThrow(NotFoundError);
    });
  });
});
