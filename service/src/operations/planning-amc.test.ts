import type { Ticket } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { nextFillDay } from '../automation/route-fill.ts';
import { type NextFill, visitRisk } from './planning-amc.ts';

const day = 86_400_000;
const hour = 3_600_000;
/** Thursday 26 November 2026, 11:30 in Chennai (UTC+5:30). */
const now = Date.UTC(2026, 10, 26, 6);
const ist = 330;
/** Technicians work Monday to Saturday, 09:00–18:00 local. */
const works = (dayStart: number) =>
  new Date(dayStart + ist * 60_000 + 12 * hour).getUTCDay() === 0
    ? null
    : { startMinute: 540, endMinute: 1080 };
const fillAt = (at: number): NextFill => ({ day: nextFillDay(at, ist), works });
const fill = fillAt(now);
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
    expect(visitRisk(visit(now + 30 * day), null, now, fill)).toBeNull();
    expect(
      visitRisk(visit(now + 3 * day, { status: 'scheduled', ticketId: 't' }), ticket({}), now, fill),
    ).toBeNull();
    expect(visitRisk(visit(now - day, { status: 'done' }), null, now, fill)).toBeNull();
    // Its ticket waits for the route fill, which books it by the window's last working day.
    expect(
      visitRisk(
        visit(now + 3 * day, { status: 'scheduled', ticketId: 't' }),
        ticket({ technicianId: null, appointment: null, status: 'open' }),
        now,
        fill,
      ),
    ).toBeNull();
  });

  it('flags a window closing with nothing booked, a booking after the window, and a window passed', () => {
    expect(visitRisk(visit(now + 3 * day), null, now, fill)).toMatch(/no visit is booked yet/);
    expect(
      visitRisk(
        visit(now + day, { status: 'scheduled', ticketId: 't' }),
        ticket({ technicianId: null, appointment: null, status: 'open' }),
        now,
        fill,
      ),
    ).toMatch(/no technician booked yet/);
    expect(
      visitRisk(
        visit(now + 3 * day, { status: 'scheduled', ticketId: 't' }),
        ticket({ appointment: { start: now + 5 * day, end: now + 5 * day + 3_600_000 } }),
        now,
        fill,
      ),
    ).toBe('booked after the window closes');
    // Missed is what its status says; it is no longer at risk of anything.
    expect(visitRisk(visit(now - day, { status: 'missed' }), null, now, fill)).toBeNull();
    expect(
      visitRisk(visit(now - day, { status: 'scheduled', ticketId: 't' }), ticket({}), now, fill),
    ).toMatch(/window has closed/);
  });

  it('counts working days, not calendar days, before warning that a waiting ticket has no technician', () => {
    // Due Monday 30 November 10:00 local; Sunday nobody works.
    const mondayTen = Date.UTC(2026, 10, 30, 4, 30);
    const waiting = visit(mondayTen, { status: 'scheduled', ticketId: 't' });
    const open = ticket({ technicianId: null, appointment: null, status: 'open' });
    // Saturday 10:00, two calendar days before: Sunday's run can still give it Monday morning.
    const saturdayTen = Date.UTC(2026, 10, 28, 4, 30);
    expect(visitRisk(waiting, open, saturdayTen, fillAt(saturdayTen))).toBeNull();
    // Saturday 20:00, after the evening's run: the next run fills Monday, its last chance.
    const saturdayEight = saturdayTen + 10 * hour;
    expect(visitRisk(waiting, open, saturdayEight, fillAt(saturdayEight))).toMatch(/last chance/);
  });
});
