import { chennaiMetro, offsetPosition } from '@aftercare/core';
import type { DispatchJob, Technician } from './dispatch-types.ts';
import type { Position } from './geo.ts';
import { DAY_MS, MINUTE_MS } from './work.ts';

/** Factories for hand-built test cases (the generated world covers the realistic ones). */

/** Local midnight of 10 June 2026 in Chennai (UTC+5:30). */
export const testDayStart = Date.UTC(2026, 5, 10) - chennaiMetro.utcOffsetMin * MINUTE_MS;
export const clock = (hours: number, minutes = 0): number =>
  testDayStart + (hours * 60 + minutes) * MINUTE_MS;

/** A position `km` east of the metro centre (negative: west). */
export const eastKm = (km: number, northKm = 0): Position =>
  offsetPosition(offsetPosition(chennaiMetro.center, km, Math.PI / 2), northKm, 0);

export function technician(overrides: Partial<Technician> & { id: string }): Technician {
  return {
    partnerId: 'partner-01',
    name: overrides.id,
    skills: [
      { skill: 'general_service', certifiedUntil: null },
      { skill: 'refrigeration', certifiedUntil: testDayStart + 365 * DAY_MS },
      { skill: 'electrical', certifiedUntil: testDayStart + 365 * DAY_MS },
    ],
    homeBase: eastKm(0),
    workingHours: { startMinute: 540, endMinute: 1080 },
    capacityMinutes: 420,
    available: true,
    ...overrides,
  };
}

export function job(overrides: Partial<DispatchJob> & { id: string }): DispatchJob {
  return {
    position: eastKm(2),
    skill: 'general_service',
    certificationRequired: false,
    durationMinutes: 60,
    slaDueAt: clock(18),
    window: null,
    priority: 3,
    ...overrides,
  };
}
