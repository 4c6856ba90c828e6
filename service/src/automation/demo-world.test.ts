import { chennaiMetro, type DeviceModel, deviceModels, randomPointInDisc } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { renewalsDue } from './amc-schedule.ts';
import { type FleetDevice, generateDemoWorld } from './demo-world.ts';
import { haversineKm } from './geo.ts';
import { SeededRandom } from './seeded-random.ts';
import { spareParts } from './spare-parts.ts';
import { DAY_MS } from './work.ts';

const now = Date.UTC(2026, 10, 26);

/** A fleet laid out as the simulator does: uniform over the metro's disc, installed up to five years ago. */
function fleet(count: number, seed = 11): FleetDevice[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: count }, (_, i) => ({
    id: `sim-${String(i + 1).padStart(5, '0')}`,
    model: deviceModels[i % deviceModels.length] as DeviceModel,
    position: randomPointInDisc(rng, chennaiMetro.center, chennaiMetro.radiusKm),
    installedAt: now - Math.round(rng.uniform(0.25, 5) * 365) * DAY_MS,
  }));
}

describe('generateDemoWorld', () => {
  const devices = fleet(400);
  const world = generateDemoWorld({ seed: 1, now, devices });

  it('is the same world for the same seed, and another for another seed', () => {
    expect(generateDemoWorld({ seed: 1, now, devices })).toEqual(world);
    expect(generateDemoWorld({ seed: 2, now, devices }).technicians).not.toEqual(world.technicians);
  });

  it('puts every device at exactly one site of one customer, households and businesses alike', () => {
    expect(world.devices.map((d) => d.deviceId).sort()).toEqual(devices.map((d) => d.id).sort());
    const customers = new Set(world.customers.map((c) => c.id));
    const sites = new Map(world.sites.map((s) => [s.id, s]));
    for (const d of world.devices) {
      expect(customers.has(d.customerId)).toBe(true);
      expect(sites.get(d.siteId)!.customerId).toBe(d.customerId);
    }
    const kinds = new Set(world.customers.map((c) => c.kind));
    expect(kinds).toEqual(new Set(['residential', 'business']));
    for (const s of world.sites) {
      expect(haversineKm(s.position, chennaiMetro.center)).toBeLessThanOrEqual(chennaiMetro.radiusKm + 0.01);
      expect(chennaiMetro.areas.map((a) => a.name)).toContain(s.area);
    }
  });

  it('has partners of each kind, about 20 technicians, one certification expired and some expiring soon', () => {
    expect(new Set(world.partners.map((p) => p.kind))).toEqual(
      new Set(['authorised_centre', 'franchise', 'mobile_van']),
    );
    expect(world.technicians).toHaveLength(20);
    const certs = world.technicians.flatMap((t) => t.skills.filter((s) => s.certifiedUntil !== null));
    expect(certs.filter((s) => s.certifiedUntil! < now)).toHaveLength(1);
    expect(
      certs.filter((s) => s.certifiedUntil! >= now && s.certifiedUntil! < now + 30 * DAY_MS).length,
    ).toBeGreaterThanOrEqual(2);
    for (const skill of [
      'refrigeration',
      'electrical',
      'electronics',
      'mechanical',
      'water_treatment',
      'general_service',
    ]) {
      expect(
        world.technicians.filter((t) => t.skills.some((s) => s.skill === skill)).length,
      ).toBeGreaterThanOrEqual(3);
    }
    const partnerIds = new Set(world.partners.map((p) => p.id));
    for (const s of world.sites) expect(partnerIds.has(s.partnerId)).toBe(true);
  });

  it('stocks every catalogue part at the warehouse, and has a depot per centre and a van per technician', () => {
    const skus = spareParts().map((p) => p.sku);
    const warehouse = world.stockLocations.filter((l) => l.kind === 'warehouse');
    expect(warehouse).toHaveLength(1);
    for (const sku of skus) expect(warehouse[0]!.available[sku]).toBeGreaterThan(0);
    expect(world.stockLocations.filter((l) => l.kind === 'depot')).toHaveLength(
      world.partners.filter((p) => p.kind !== 'mobile_van').length,
    );
    const vans = world.stockLocations.filter((l) => l.kind === 'van');
    expect(vans.map((v) => v.technicianId).sort()).toEqual(world.technicians.map((t) => t.id).sort());
    // Compressors are not carried on vans.
    for (const v of vans) expect(v.available['AC-COMP']).toBe(0);
  });

  it('puts about 30% of the devices under AMC contracts that cover whole sites, some due for renewal', () => {
    const covered = world.amcContracts.reduce((s, c) => s + c.deviceIds.length, 0);
    expect(covered / devices.length).toBeGreaterThan(0.25);
    expect(covered / devices.length).toBeLessThan(0.35);
    const siteOf = new Map(world.devices.map((d) => [d.deviceId, d.siteId]));
    const planIds = new Set(world.amcPlans.map((p) => p.id));
    for (const c of world.amcContracts) {
      for (const id of c.deviceIds) expect(siteOf.get(id)).toBe(c.siteId);
      expect(c.deviceCount).toBe(c.deviceIds.length);
      expect(planIds.has(c.planId)).toBe(true);
      expect(c.startsAt).toBeLessThanOrEqual(now);
      expect(c.endsAt).toBeGreaterThan(now);
    }
    expect(new Set(world.amcContracts.map((c) => c.siteId)).size).toBe(world.amcContracts.length);
    expect(renewalsDue(world.amcContracts, now, 60).length).toBeGreaterThan(0);
  });
});
