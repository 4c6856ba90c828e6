import type { Ticket } from '@aftercare/core';
import { MIN_NOTICE_HOURS } from '../automation/risk-policy.ts';
import { DAY_MS, HOUR_MS, localDayStart } from '../automation/work.ts';
import type { Actor } from '../principal.ts';
import { rankOfTicketPriority } from '../repositories/predictive-ticket-repository.ts';
import { dispatchTicket } from './dispatch-ticket.ts';
import { utcOffsetMinutes } from './local-time.ts';
import type { PlanningData } from './planning-data.ts';
import { heldWork } from './route-fill-held-work.ts';

/**
 * Books the site's other AMC visits that wait for a route onto a trip already booked there: when an
 * AMC visit is booked outside the evening fill (a repair folded into it sets its day), the visits of
 * the site's other devices go with it, beside it, with the same technician, on the same day, when their
 * window holds that day. Whoever makes the trip does them, even from another partner than the one
 * servicing the site (a folded repair goes to whoever is qualified for it): the customer gets one
 * visit and the network one drive. A visit the day cannot take stays for the route fill. Answers the
 * visits booked.
 */
export async function bookSiteCompanions(
  data: PlanningData,
  booked: Ticket,
  actor: Actor,
  now: number,
): Promise<Ticket[]> {
  const { siteId, technicianId, appointment } = booked;
  if (booked.kind !== 'amc_visit' || siteId === null || technicianId === null || appointment === null)
    return [];
  const technician = await data.technician(technicianId);
  if (!technician) return [];
  const offset = utcOffsetMinutes(technician.workingHours.timezone, appointment.start);
  const dayStart = localDayStart(appointment.start, offset);
  const dayEnd = dayStart + DAY_MS;
  // After the customer's notice, before or after the visit booked: beside it, they add no driving.
  const earliest = Math.max(dayStart, now + MIN_NOTICE_HOURS * HOUR_MS);
  const companions = (await heldWork(data, false)).filter(
    (w) =>
      w.ticket.id !== booked.id &&
      w.ticket.siteId === siteId &&
      w.window.start < dayEnd &&
      w.window.end > earliest,
  );
  const done: Ticket[] = [];
  for (const w of companions) {
    const outcome = await dispatchTicket(
      data,
      {
        ticket: w.ticket,
        position: w.position,
        skill: w.skill,
        certificationRequired: w.certificationRequired,
        durationMinutes: w.durationMinutes,
        priority: rankOfTicketPriority[w.ticket.priority],
        window: { start: Math.max(earliest, w.window.start), end: Math.min(w.window.end, dayEnd) },
        slaDueAt: w.ticket.slaDueAt,
        technicianIds: [technicianId],
      },
      actor,
    );
    if (outcome.kind !== 'assigned') continue;
    done.push(outcome.ticket);
  }
  return done;
}
