import { describe, expect, it } from 'vitest';
import { generateDispatchDay } from './dispatch-day-generator.ts';
import {
  type PartsJob,
  planParts,
  type StockLocation,
  sourceLocationOf,
  sourcePart,
} from './parts-sourcing.ts';
import { generateServiceNetwork } from './service-network.ts';
import { clock, eastKm, testDayStart } from './test-factories.ts';
import { DAY_MS, MINUTE_MS } from './work.ts';

const now = clock(8);
const SKU = 'AC-FANMOTOR';

function location(
  id: string,
  kind: StockLocation['kind'],
  km: number,
  units: number,
  northKm = 0,
): StockLocation {
  return {
    id,
    kind,
    name: id,
    position: eastKm(km, northKm),
    partnerId: kind === 'warehouse' ? null : 'partner-01',
    technicianId: kind === 'van' ? (id === 'van-other' ? 'tech-2' : 'tech-1') : null,
    available: { [SKU]: units },
  };
}

/** Technician home at 0 km, site 6 km east; a depot on the way, one behind, the warehouse far west. */
function network(units: Partial<Record<string, number>> = {}): StockLocation[] {
  return [
    location('van-1', 'van', 0, units['van-1'] ?? 0),
    location('depot-on-way', 'depot', 3, units['depot-on-way'] ?? 0, 0.5),
    location('depot-near-home', 'depot', -2.5, units['depot-near-home'] ?? 0, 1),
    location('depot-far', 'depot', -9, units['depot-far'] ?? 0),
    location('van-other', 'van', 1, units['van-other'] ?? 0),
    location('warehouse', 'warehouse', -15, units.warehouse ?? 0),
  ];
}

function partsJob(overrides: Partial<PartsJob> = {}): PartsJob {
  return {
    jobId: 'job-1',
    sitePosition: eastKm(6),
    sku: SKU,
    quantity: 1,
    appointmentStart: clock(14),
    priority: 3,
    technician: { id: 'tech-1', homeBase: eastKm(0) },
    ...overrides,
  };
}

describe('sourcePart', () => {
  it('reserves on the assigned technician’s van first', () => {
    const d = sourcePart(partsJob(), network({ 'van-1': 1, 'depot-on-way': 5, warehouse: 50 }), { now });
    expect(d).toMatchObject({ kind: 'reserve', locationId: 'van-1', handover: 'on_van', readyAt: now });
  });

  it('reserves at a depot on the technician’s way before the warehouse, and ignores depots off the way', () => {
    const d = sourcePart(partsJob(), network({ 'depot-on-way': 2, 'depot-far': 9, warehouse: 50 }), { now });
    expect(d).toMatchObject({ kind: 'reserve', locationId: 'depot-on-way', handover: 'pickup_on_route' });
  });

  it('reserves at the warehouse when its next-day delivery arrives before the appointment', () => {
    const job = partsJob({ appointmentStart: now + 2 * DAY_MS });
    const d = sourcePart(job, network({ 'depot-far': 3, warehouse: 50 }), { now });
    expect(d).toMatchObject({
      kind: 'reserve',
      locationId: 'warehouse',
      handover: 'warehouse_delivery',
      readyAt: now + DAY_MS,
    });
  });

  it('creates a transfer from the nearest location with stock when the nearest stock is empty', () => {
    // Same-day job: the warehouse is a day away; the depot nearest the van is empty, the far one has it.
    const d = sourcePart(
      partsJob(),
      network({ 'depot-near-home': 0, 'depot-far': 2, warehouse: 50, 'van-other': 4 }),
      {
        now,
      },
    );
    expect(d).toMatchObject({
      kind: 'transfer',
      fromLocationId: 'depot-far',
      toLocationId: 'van-1',
      departAt: now,
    });
    if (d.kind !== 'transfer') return;
    expect(d.arriveAt).toBeLessThanOrEqual(partsJob().appointmentStart - 30 * MINUTE_MS);
    // Courier: 90 minutes to book and pick up, then ~9 km × 1.3 of road at 30 km/h.
    expect((d.arriveAt - now) / MINUTE_MS).toBeGreaterThan(90 + 20);
    expect((d.arriveAt - now) / MINUTE_MS).toBeLessThan(90 + 30);

    const nearer = sourcePart(partsJob(), network({ 'depot-near-home': 1, 'depot-far': 2 }), { now });
    expect(nearer).toMatchObject({ kind: 'transfer', fromLocationId: 'depot-near-home' });
  });

  it('pre-positions at the depot nearest the site when no technician is assigned yet', () => {
    const d = sourcePart(
      partsJob({ technician: null, sitePosition: eastKm(-9, 4) }),
      network({ 'depot-near-home': 1 }),
      {
        now,
      },
    );
    expect(d).toMatchObject({
      kind: 'transfer',
      fromLocationId: 'depot-near-home',
      toLocationId: 'depot-far',
    });
  });

  it('says unavailable, with the earliest arrival, when nothing arrives in time', () => {
    const d = sourcePart(partsJob({ appointmentStart: clock(9) }), network({ warehouse: 50 }), { now });
    expect(d).toEqual({
      kind: 'unavailable',
      jobId: 'job-1',
      sku: SKU,
      quantity: 1,
      reason: 'too_late',
      earliestAt: now + DAY_MS,
      fromLocationId: 'warehouse',
    });
  });

  it('says unavailable until the supplier restocks when no location has the part', () => {
    const d = sourcePart(partsJob(), network({ 'van-other': 3 }), { now, supplierLeadDays: 5 });
    expect(d).toMatchObject({
      kind: 'unavailable',
      reason: 'out_of_stock',
      earliestAt: now + 6 * DAY_MS,
      fromLocationId: null,
    });
  });

  it('takes the whole quantity from one location', () => {
    const d = sourcePart(partsJob({ quantity: 2 }), network({ 'van-1': 1, 'depot-on-way': 2 }), { now });
    expect(d).toMatchObject({ kind: 'reserve', locationId: 'depot-on-way', quantity: 2 });
  });
});

describe('planParts', () => {
  it('never gives two jobs the same unit', () => {
    const stock = network({ 'van-1': 1, 'depot-on-way': 1, 'depot-far': 1 });
    const jobs = [1, 2, 3, 4].map((i) => partsJob({ jobId: `job-${i}`, appointmentStart: clock(10 + i) }));
    const { decisions, remaining } = planParts(jobs, stock, { now });
    expect(decisions.map((d) => (d.kind === 'unavailable' ? d.kind : sourceLocationOf(d)))).toEqual([
      'van-1',
      'depot-on-way',
      'depot-far',
      'unavailable',
    ]);
    for (const l of remaining) expect(l.available[SKU]).toBe(0);
    expect(stock[0]!.available[SKU]).toBe(1);
  });

  it('serves the earliest appointment first, then the higher priority', () => {
    const stock = network({ 'van-1': 1 });
    const later = partsJob({ jobId: 'later', appointmentStart: clock(16), priority: 1 });
    const sooner = partsJob({ jobId: 'sooner', appointmentStart: clock(11), priority: 4 });
    const tiedUrgent = partsJob({ jobId: 'tied-urgent', appointmentStart: clock(11), priority: 2 });
    const { decisions } = planParts([later, sooner, tiedUrgent], stock, { now });
    expect(decisions[2]).toMatchObject({ jobId: 'tied-urgent', kind: 'reserve', locationId: 'van-1' });
    expect(decisions[0]!.kind).toBe('unavailable');
    expect(decisions[1]!.kind).toBe('unavailable');
  });

  it('never promises more than any location has, across a generated day’s jobs', () => {
    const net = generateServiceNetwork({ seed: 3, now: testDayStart });
    const day = generateDispatchDay({ seed: 3, network: net, dayStart: testDayStart, jobs: 120 });
    const techs = day.technicians;
    const jobs: PartsJob[] = day.jobs.flatMap((j, i) =>
      j.sku
        ? [
            {
              jobId: j.id,
              sitePosition: j.position,
              sku: j.sku,
              quantity: 1 + (i % 5 === 0 ? 1 : 0),
              appointmentStart: j.window?.start ?? testDayStart + (9 + (i % 8)) * 60 * MINUTE_MS + DAY_MS,
              priority: j.priority,
              technician: { id: techs[i % techs.length]!.id, homeBase: techs[i % techs.length]!.homeBase },
            },
          ]
        : [],
    );
    // Tighten the stock so that units run out and the allocation has to choose.
    const scarce = net.stockLocations.map((l) => ({
      ...l,
      available: Object.fromEntries(
        Object.entries(l.available).map(([sku, n]) => [sku, l.kind === 'warehouse' ? 1 : Math.min(n, 1)]),
      ),
    }));
    const { decisions, remaining } = planParts(jobs, scarce, { now: testDayStart + 7 * 60 * MINUTE_MS });
    const taken = new Map<string, number>();
    jobs.forEach((job, i) => {
      const from = sourceLocationOf(decisions[i]!);
      if (from) taken.set(`${from}|${job.sku}`, (taken.get(`${from}|${job.sku}`) ?? 0) + job.quantity);
    });
    for (const [key, units] of taken) {
      const [id, sku] = key.split('|') as [string, string];
      expect(units).toBeLessThanOrEqual(scarce.find((l) => l.id === id)!.available[sku]!);
    }
    for (const l of remaining)
      for (const n of Object.values(l.available)) expect(n).toBeGreaterThanOrEqual(0);
    const kinds = new Set(decisions.map((d) => d.kind));
    expect(kinds).toEqual(new Set(['reserve', 'transfer', 'unavailable']));
  });
});
