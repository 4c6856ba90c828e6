import { describe, expect, it } from 'vitest';
import { startOnVisitDay } from './start-day.ts';

const steps = [
  { to: 'on_site', label: 'Start work on site' },
  { to: 'cancelled', label: 'Cancel ticket' },
];
// Tuesday 1 Dec 2026, 10:00 in Chennai; the day begins at 18:30 UTC on Monday.
const appointment = { start: Date.UTC(2026, 11, 1, 4, 30) };

describe('the start step of a job booked for a later day', () => {
  it('is held back before the booked day, which is named instead', () => {
    const held = startOnVisitDay(steps, appointment, 'Asia/Kolkata', Date.UTC(2026, 10, 30, 18, 29));
    expect(held).toEqual({ steps: [steps[1]], startsOn: 'Tue 1 Dec' });
  });

  it('is offered from the booked day’s midnight on the technician’s calendar, and afterwards', () => {
    for (const now of [Date.UTC(2026, 10, 30, 18, 30), appointment.start, appointment.start + 86_400_000])
      expect(startOnVisitDay(steps, appointment, 'Asia/Kolkata', now)).toEqual({ steps, startsOn: null });
  });

  it('is left to the service when the job has no appointment or the zone is unknown', () => {
    const early = Date.UTC(2026, 10, 1);
    expect(startOnVisitDay(steps, null, 'Asia/Kolkata', early).steps).toEqual(steps);
    expect(startOnVisitDay(steps, appointment, null, early).steps).toEqual(steps);
  });
});
