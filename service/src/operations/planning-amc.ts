import {
  type AmcCalendar,
  type AmcCalendarVisit,
  type Contract,
  NotFoundError,
  type Ticket,
  workedTicketStatuses,
} from '@aftercare/core';
import { amcTicketMinutes } from '../automation/amc-schedule.ts';
import { reachOf, servicingPartner } from '../automation/partner-reach.ts';
import { laterWorkingDayLeft, nextFillDay } from '../automation/route-fill.ts';
import { DAY_MS } from '../automation/work.ts';
import { dayStartOf } from './dispatch-day.ts';
import { utcOffsetMinutes } from './local-time.ts';
import { collectPages, type PlanningData, page, planningZone } from './planning-data.ts';
import { networkHours } from './route-fill-wait.ts';

/**
 * The AMC page's data: contract visits of a few months with the partner who carries each out (the
 * visit ticket's technician's partner, else the partner servicing the site, as the AMC job picks it),
 * the visits at risk of missing their window, and the contracts coming up for renewal.
 */

export interface AmcCalendarRequest {
  /** YYYY-MM; default the month of `now`. */
  from?: string | undefined;
  months: number;
  partnerId?: string | undefined;
  renewalWithinDays: number;
}

/** Statuses of a visit ticket whose work was done (on site): the visit is done, and when. */
const worked = new Set<string>(workedTicketStatuses);

/** A visit due this soon without a ticket is at risk. */
const warnDays = 7;

/**
 * What the route fill will do next: the day its next run fills (`nextFillDay`) and the network's
 * working hours per local day. A visit ticket waits for the fill, which books it by the last working
 * day of its window: it is at risk once the next run is its last chance.
 */
export interface NextFill {
  day: number;
  works: (dayStart: number) => { startMinute: number; endMinute: number } | null;
}

function monthStart(month: string, add: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) + add;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}-01`;
}

const day = (ts: number) => new Date(ts).toISOString().slice(0, 10);

/** Why a visit may miss its window, or null when it is on track. */
export function visitRisk(
  visit: { status: string; dueFrom: number; dueTo: number; ticketId: string | null },
  ticket: Ticket | null,
  now: number,
  fill: NextFill,
): string | null {
  // A missed visit is past risk: its status says what happened to it.
  if (visit.status === 'done' || visit.status === 'cancelled' || visit.status === 'missed') return null;
  if (visit.dueTo < now) return 'the window has closed and the visit is not done';
  if (ticket === null) {
    return visit.dueTo - now <= warnDays * DAY_MS
      ? `window closes ${day(visit.dueTo)} and no visit is booked yet`
      : null;
  }
  if (['resolved', 'verified', 'closed'].includes(ticket.status)) return null;
  if (ticket.status === 'cancelled') return 'its visit ticket was cancelled';
  if (ticket.technicianId === null || ticket.appointment === null) {
    const window = { start: Math.max(visit.dueFrom, now), end: visit.dueTo };
    return laterWorkingDayLeft(fill.day, window, amcTicketMinutes(1), fill.works)
      ? null
      : 'no technician booked yet: the next route fill is its last chance';
  }
  if (ticket.appointment.start > visit.dueTo) return 'booked after the window closes';
  return null;
}

export async function amcCalendar(
  data: PlanningData,
  request: AmcCalendarRequest,
  now: number,
): Promise<AmcCalendar> {
  const repos = data.repositories;
  // As the scorecards and KPIs answer it: an empty calendar would read as a partner with no work.
  if (request.partnerId !== undefined && (await repos.partners.getPartner(request.partnerId)) === null)
    throw new NotFoundError('partner', request.partnerId);
  const technicians = await data.technicians();
  const timezone = planningZone(technicians);
  const first =
    request.from ?? new Date(now + utcOffsetMinutes(timezone, now) * 60_000).toISOString().slice(0, 7);
  const from = dayStartOf(monthStart(first, 0), timezone);
  const to = dayStartOf(monthStart(first, request.months), timezone);

  const [partners, visits, renewalContracts, plans] = await Promise.all([
    collectPages((offset) => repos.partners.listPartners({ limit: page, offset })),
    collectPages((offset) => repos.visits.listVisits({ dueFrom: from, dueTo: to, limit: page, offset })),
    collectPages((offset) => repos.contracts.renewalsDue(request.renewalWithinDays, { limit: page, offset })),
    repos.contracts.listPlans(),
  ]);
  const partnerName = new Map(partners.map((p) => [p.id, p.name]));
  const technician = new Map(technicians.map((t) => [t.id, t]));
  const fill = {
    day: nextFillDay(now, utcOffsetMinutes(timezone, now)),
    works: networkHours(technicians, timezone),
  };
  const network = partners.map(reachOf);

  const contracts = new Map<string, Promise<Contract | null>>();
  const customers = new Map<string, Promise<string | null>>();
  const contractOf = (id: string) => {
    if (!contracts.has(id)) contracts.set(id, repos.contracts.get(id));
    return contracts.get(id)!;
  };
  const customerName = (id: string) => {
    if (!customers.has(id))
      customers.set(
        id,
        repos.customers.get(id).then((x) => x?.name ?? null),
      );
    return customers.get(id)!;
  };

  const rows: AmcCalendarVisit[] = [];
  for (const visit of visits) {
    const [contract, device, ticket] = await Promise.all([
      contractOf(visit.contractId),
      repos.devices.get(visit.deviceId),
      visit.ticketId === null ? null : repos.tickets.get(visit.ticketId),
    ]);
    const site = device?.siteId ? await repos.customers.getSite(device.siteId) : null;
    const tech = ticket?.technicianId ? technician.get(ticket.technicianId) : undefined;
    let partnerId: string | null = tech?.partnerId ?? null;
    if (partnerId === null && network.length > 0) {
      const position = await data.positionOf({ siteId: device?.siteId ?? null, deviceId: visit.deviceId });
      if (position) partnerId = servicingPartner(network, position);
    }
    if (request.partnerId !== undefined && partnerId !== request.partnerId) continue;
    rows.push({
      id: visit.id,
      contractId: visit.contractId,
      deviceId: visit.deviceId,
      customerName: contract ? await customerName(contract.customerId) : null,
      siteName: site?.name ?? null,
      partnerId,
      partnerName: partnerId === null ? null : (partnerName.get(partnerId) ?? partnerId),
      dueFrom: visit.dueFrom,
      dueTo: visit.dueTo,
      status: visit.status,
      ticketId: visit.ticketId,
      ticketStatus: ticket?.status ?? null,
      appointmentStart: ticket?.appointment?.start ?? null,
      // A cancelled ticket frees its visit (planned again, no ticket): only work done counts.
      doneAt: ticket && worked.has(ticket.status) ? (ticket.resolvedAt ?? ticket.closedAt) : null,
      technicianName: tech?.name ?? null,
      atRisk: visitRisk(visit, ticket, now, fill),
    });
  }

  // Under a partner filter, the contracts that partner services: one of their devices in its reach.
  const servicedBy = async (contract: Contract, partnerId: string) => {
    for (const deviceId of contract.deviceIds) {
      const device = await repos.devices.get(deviceId);
      const position = await data.positionOf({ siteId: device?.siteId ?? null, deviceId });
      if (position && servicingPartner(network, position) === partnerId) return true;
    }
    return false;
  };
  const partnerId = request.partnerId;
  const renewing =
    partnerId === undefined
      ? renewalContracts
      : (
          await Promise.all(renewalContracts.map(async (c) => ((await servicedBy(c, partnerId)) ? [c] : [])))
        ).flat();
  const planName = new Map(plans.map((p) => [p.id, p.name]));
  const renewals = await Promise.all(
    renewing.map(async (c) => ({
      contractId: c.id,
      customerId: c.customerId,
      customerName: await customerName(c.customerId),
      planName: planName.get(c.planId) ?? null,
      devices: c.deviceIds.length,
      endsAt: c.endsAt,
      daysLeft: Math.ceil((c.endsAt - now) / DAY_MS),
      renewalStatus: c.renewalStatus,
    })),
  );
  return {
    from,
    to,
    timezone,
    partners: partners.map((p) => ({ id: p.id, name: p.name, kind: p.kind })),
    visits: rows,
    renewals,
  };
}
