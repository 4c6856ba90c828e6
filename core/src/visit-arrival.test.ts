import { describe, expect, it } from 'vitest';
import { arrivalAgainstSlot, ON_TIME_MINUTES, technicianAfter, technicianNamed } from './visit-arrival.ts';

const start = Date.parse('2026-11-30T10:00:00+05:30');
const minute = 60_000;

describe('arrivalAgainstSlot', () => {
  it(`counts a start within ${ON_TIME_MINUTES} minutes either side of the booked start as on time`, () => {
    for (const offset of [-ON_TIME_MINUTES, -5, 0, 12, ON_TIME_MINUTES])
      expect(arrivalAgainstSlot(start + offset * minute, { start }), String(offset)).toBe('on_time');
  });

  it('calls a start before that early, and one after it late', () => {
    expect(arrivalAgainstSlot(start - (ON_TIME_MINUTES + 1) * minute, { start })).toBe('early');
    // 01:48 for a 10:00 visit: on the day, hours before the customer expected anyone.
    expect(arrivalAgainstSlot(start - (8 * 60 + 12) * minute, { start })).toBe('early');
    expect(arrivalAgainstSlot(start + (ON_TIME_MINUTES + 1) * minute, { start })).toBe('late');
  });
});

describe('technicianAfter', () => {
  it('follows the bookings along a ticket, and forgets the technician when it goes back to open or is fixed remotely', () => {
    const booked = technicianAfter(
      { action: 'assigned', toStatus: 'scheduled' },
      technicianNamed({ technicianId: 't1' }),
      null,
    );
    expect(booked).toBe('t1');
    expect(technicianAfter({ action: 'started', toStatus: 'on_site' }, technicianNamed(null), booked)).toBe(
      't1',
    );
    expect(technicianAfter({ action: 'reopened', toStatus: 'open' }, null, booked)).toBeNull();
    expect(technicianAfter({ action: 'resolved_remotely', toStatus: 'resolved' }, null, booked)).toBeNull();
    expect(technicianNamed({ technicianId: 42 })).toBeNull();
  });
});
