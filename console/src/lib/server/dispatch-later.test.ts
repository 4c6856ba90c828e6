import { describe, expect, it } from 'vitest';
import { countLaterWaiting, waitingHorizonEnd } from './dispatch-later.ts';

describe('countLaterWaiting', () => {
  it('counts the open jobs with no technician due after the board’s week, AMC visits apart', () => {
    const dayStart = Date.parse('2026-11-27T00:00:00+05:30');
    const horizon = waitingHorizonEnd(dayStart);
    const day = 86_400_000;
    const tickets = [
      { kind: 'amc_visit', technicianId: null, slaDueAt: dayStart + 20 * day },
      { kind: 'amc_visit', technicianId: null, slaDueAt: dayStart + 30 * day },
      { kind: 'corrective', technicianId: null, slaDueAt: dayStart + 9 * day },
      // On the board already (due within the week), or booked.
      { kind: 'amc_visit', technicianId: null, slaDueAt: dayStart + 7 * day },
      { kind: 'amc_visit', technicianId: 'tech-1', slaDueAt: dayStart + 20 * day },
    ];
    expect(countLaterWaiting(tickets, horizon)).toEqual({ jobs: 3, amcVisits: 2 });
  });
});
