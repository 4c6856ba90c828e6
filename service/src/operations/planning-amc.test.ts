import type { Ticket } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { visitRisk } from './planning-amc.ts';

const day = 86_400_000;
const now = Date.UTC(2026, 10, 26, 6);
const visit = (dueTo: number, extra: Partial<{ status: string; ticketId: string | null }> = {}) => ({
  status: 'planned',
  dueFrom: dueTo - 60 * day,
  dueTo,
  ticketId: null,
  ...extra,
});
const ticket = (extra: Partial<Ticket>) =>
  ({
    status: 'scheduled',
    technicianId: 'tech-01',
    appointment: { start: now + day, end: now + day + 3_600_000 },
    ...extra,
  }) as Ticket;

describe('visitRisk', () => {
  it('leaves a visit on track while its window is far off or it is booked inside it', () => {
    expect(visitRisk(visit(now + 30 * day), null, now)).toBeNull();
    expect(
      visitRisk(visit(now + 3 * day, { status: 'scheduled', ticketId: 't' }), ticket({}), now),
    ).toBeNull();
    expect(visitRisk(visit(now - day, { status: 'done' }), null, now)).toBeNull();
    // Its ticket waits for the route fill, which books it by the window's last working day.
    expect(
      visitRisk(
        visit(now + 3 * day, { status: 'scheduled', ticketId: 't' }),
        ticket({ technicianId: null, appointment: null, status: 'open' }),
        now,
      ),
    ).toBeNull();
  });

  it('flags a window closing with nothing booked, a booking after the window, and a window passed', () => {
    expect(visitRisk(visit(now + 3 * day), null, now)).toMatch(/no visit is booked yet/);
    expect(
      visitRisk(
        visit(now + day, { status: 'scheduled', ticketId: 't' }),
        ticket({ technicianId: null, appointment: null, status: 'open' }),
        now,
      ),
    ).toMatch(/no technician booked yet/);
    expect(
      visitRisk(
        visit(now + 3 * day, { status: 'scheduled', ticketId: 't' }),
        ticket({ appointment: { start: now + 5 * day, end: now + 5 * day + 3_600_000 } }),
        now,
      ),
    ).toBe('booked after the window closes');
    expect(visitRisk(visit(now - day, { status: 'missed' }), null, now)).toMatch(/^missed/);
    expect(visitRisk(visit(now - day, { status: 'scheduled', ticketId: 't' }), ticket({}), now)).toMatch(
      /window has closed/,
    );
  });
});
