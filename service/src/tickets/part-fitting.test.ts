import { describe, expect, it } from 'vitest';
import type { Actor } from '../principal.ts';
import {
  assertMayTakeFrom,
  assertPartFitsModel,
  assertRemovedSerial,
  type FittedPart,
} from './part-fitting.ts';

const tech = (technicianId: string): Actor => ({
  id: `user:${technicianId}`,
  role: 'technician',
  customerId: null,
  technicianId,
});
const planner: Actor = { id: 'user:planner', role: 'planner', customerId: null, technicianId: null };
const system: Actor = { id: 'system:automation', role: 'system', customerId: null, technicianId: null };
const pump: FittedPart = { sku: 'WP-PUMP', model: 'water-purifier', returnRequired: true };
const lamp: FittedPart = { sku: 'WP-UVLAMP', model: 'water-purifier', returnRequired: false };

describe('assertMayTakeFrom', () => {
  const van = (technicianId: string | null) => ({ id: 'loc-van', kind: 'van' as const, technicianId });

  it("lets a technician take from their own van, a depot or the warehouse, never another's van", () => {
    expect(() => assertMayTakeFrom(van('tech-09'), tech('tech-09'))).not.toThrow();
    for (const kind of ['partner_depot', 'central_warehouse'] as const)
      expect(() =>
        assertMayTakeFrom({ id: 'loc-x', kind, technicianId: null }, tech('tech-09')),
      ).not.toThrow();
    expect(() => assertMayTakeFrom(van('tech-13'), tech('tech-09'))).toThrow(
      /^locationId: loc-van is tech-13's van, not yours/,
    );
    expect(() => assertMayTakeFrom(van(null), tech('tech-09'))).toThrow(
      /^locationId: loc-van is a van no technician drives/,
    );
  });

  it('lets the office and the system record from any van', () => {
    for (const actor of [planner, system])
      expect(() => assertMayTakeFrom(van('tech-13'), actor)).not.toThrow();
  });
});

describe('assertPartFitsModel', () => {
  it('refuses a part of another model, naming the field', () => {
    expect(() => assertPartFitsModel(pump, 'water-purifier', 'sku')).not.toThrow();
    expect(() => assertPartFitsModel(pump, 'split-ac', 'reservationId')).toThrow(
      "reservationId: WP-PUMP is a water-purifier part; it does not fit this job's split-ac",
    );
  });
});

describe('assertRemovedSerial', () => {
  it('asks for the removed serial only of a part that goes back to the manufacturer', () => {
    expect(() => assertRemovedSerial(lamp, undefined)).not.toThrow();
    expect(() => assertRemovedSerial(pump, 'PUMP-OLD-1')).not.toThrow();
    for (const missing of [undefined, '  '])
      expect(() => assertRemovedSerial(pump, missing)).toThrow(/^removedSerial: the defective WP-PUMP/);
  });
});
