import { describe, expect, it } from 'vitest';
import { deliveryMissesVisit, PART_HANDOVER_MINUTES } from './parts.schema.ts';

const minute = 60_000;
const visitStart = Date.UTC(2026, 11, 1, 4, 30);
const vans = new Map([
  ['van-ravi', 'tech-ravi'],
  ['van-suresh', 'tech-suresh'],
]);
const vanTechnician = (id: string) => vans.get(id);
const onTheRoad = (toLocationId: string, etaAt: number) =>
  ({ status: 'in_transit', toLocationId, etaAt }) as const;
const ravisVisit = { appointment: { start: visitStart }, technicianId: 'tech-ravi' };

describe('whether a delivery on its way will be in the technician’s hands for the visit', () => {
  it('serves the visit when it lands at their van with the handover time to spare', () => {
    const eta = visitStart - PART_HANDOVER_MINUTES * minute;
    expect(deliveryMissesVisit(onTheRoad('van-ravi', eta), ravisVisit, vanTechnician)).toBeNull();
  });

  it('is too late when it lands inside the handover time', () => {
    const eta = visitStart - (PART_HANDOVER_MINUTES - 1) * minute;
    expect(deliveryMissesVisit(onTheRoad('van-ravi', eta), ravisVisit, vanTechnician)).toBe('too_late');
  });

  it('misses it at another technician’s van however early it lands there', () => {
    const eta = visitStart - 48 * 60 * minute;
    expect(deliveryMissesVisit(onTheRoad('van-suresh', eta), ravisVisit, vanTechnician)).toBe('other_van');
  });

  it('serves anyone from a depot or the warehouse, which are nobody’s van', () => {
    const eta = visitStart - 60 * minute;
    expect(deliveryMissesVisit(onTheRoad('depot-adyar', eta), ravisVisit, vanTechnician)).toBeNull();
  });

  it('judges nothing for a job with no technician or appointment, nor a delivery that has landed', () => {
    const eta = visitStart + 60 * minute;
    const unbooked = { appointment: null, technicianId: null };
    expect(deliveryMissesVisit(onTheRoad('van-suresh', eta), unbooked, vanTechnician)).toBeNull();
    const landed = { status: 'arrived', toLocationId: 'van-suresh', etaAt: eta } as const;
    expect(deliveryMissesVisit(landed, ravisVisit, vanTechnician)).toBeNull();
  });
});
