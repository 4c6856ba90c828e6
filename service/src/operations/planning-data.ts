import type {
  StockLocation as CatalogueStockLocation,
  Site,
  Technician as TechnicianRecord,
  Ticket,
} from '@aftercare/core';
import type { Technician as PlanningTechnician } from '../automation/dispatch-types.ts';
import type { Position } from '../automation/geo.ts';
import type { StockLocation as PlanningStockLocation } from '../automation/parts-sourcing.ts';
import { DAY_MS, MINUTE_MS } from '../automation/work.ts';
import type { ServiceRepositories } from '../repositories/service-repositories.ts';
import { isoWeekday, minuteOfDay, utcOffsetMinutes } from './local-time.ts';

/**
 * Reads what the planners need from the repositories and turns it into their plain shapes. One reader
 * lives for one batch of work: the network (technicians, stock locations, sites) is read once and
 * reused, while the day's assignments and the stock levels are read fresh each time they are asked for,
 * since the batch itself changes them.
 */

export const page = 500;

/** Tickets whose technician has work to do or is doing it: their time is taken. */
const assignedStatuses = ['scheduled', 'dispatched', 'on_site'] as const;

const locationKinds: Readonly<Record<CatalogueStockLocation['kind'], PlanningStockLocation['kind']>> = {
  central_warehouse: 'warehouse',
  partner_depot: 'depot',
  van: 'van',
};

export class PlanningData {
  private technicianList: Promise<TechnicianRecord[]> | null = null;
  private locationList: Promise<CatalogueStockLocation[]> | null = null;
  private readonly sites = new Map<string, Promise<Site | null>>();

  constructor(readonly repositories: ServiceRepositories) {}

  /** Every technician with skills, whatever their status (availability is decided per day). */
  technicians(): Promise<TechnicianRecord[]> {
    this.technicianList ??= collectPages((offset) =>
      this.repositories.partners.listTechnicians({ limit: page, offset }),
    );
    return this.technicianList;
  }

  async technician(id: string): Promise<TechnicianRecord | null> {
    return (await this.technicians()).find((t) => t.id === id) ?? null;
  }

  stockLocations(): Promise<CatalogueStockLocation[]> {
    this.locationList ??= collectPages((offset) =>
      this.repositories.stock.listLocations({ limit: page, offset }),
    );
    return this.locationList;
  }

  /** A site, read once per batch. */
  site(id: string): Promise<Site | null> {
    let site = this.sites.get(id);
    if (!site) {
      site = this.repositories.customers.getSite(id);
      this.sites.set(id, site);
    }
    return site;
  }

  /** Where the work of a ticket is: its site, else where its device is installed. */
  async positionOf(ticket: Pick<Ticket, 'siteId' | 'deviceId'>): Promise<Position | null> {
    if (ticket.siteId !== null) {
      const site = await this.site(ticket.siteId);
      if (site) return { lat: site.lat, lon: site.lon };
    }
    const device = await this.repositories.devices.get(ticket.deviceId);
    return device?.location ? { lat: device.location.lat, lon: device.location.lon } : null;
  }

  /** Tickets assigned to a technician with an appointment that overlaps [from, to). */
  async assignedWork(from: number, to: number): Promise<Ticket[]> {
    const tickets = await collectPages((offset) =>
      this.repositories.tickets.list({
        status: [...assignedStatuses],
        appointmentFrom: from,
        appointmentTo: to,
        limit: page,
        offset,
      }),
    );
    return tickets.filter(
      (t) =>
        t.technicianId !== null &&
        t.appointment !== null &&
        t.appointment.start < to &&
        t.appointment.end > from,
    );
  }

  /**
   * The visits made in [from, to) (begun then, and ended), each with its ticket as it stood for that
   * visit: the technician who made it and the slot booked for it then. The day's driving and load stay
   * what they were when a job is done, and a ticket reopened since, or booked again, keeps its visit
   * where and with whom it was.
   */
  async finishedWork(
    from: number,
    to: number,
  ): Promise<{ ticket: Ticket; made: { start: number; end: number } }[]> {
    const visits = (await this.repositories.tickets.visitsBegun(from, to)).filter(
      (v) => v.visit.end !== null && v.visit.technicianId !== null,
    );
    const ids = [...new Set(visits.map((v) => v.ticketId))];
    const tickets = new Map(
      await Promise.all(ids.map(async (id) => [id, await this.repositories.tickets.get(id)] as const)),
    );
    return visits.flatMap(({ ticketId, visit }) => {
      const ticket = tickets.get(ticketId);
      if (!ticket) return [];
      return [
        {
          ticket: { ...ticket, technicianId: visit.technicianId, appointment: visit.booked },
          made: { start: visit.start, end: visit.end! },
        },
      ];
    });
  }

  /**
   * The team as the automation plans the local day starting at `dayStart` with (`planningTechnician`),
   * each technician's capacity less the minutes of the visits they already made that day: the board
   * counts those minutes, so the automation must not book them a second time.
   */
  async teamOn(
    technicians: readonly TechnicianRecord[],
    dayStart: number,
    dayOffsetMin: number,
    /** The day's visits made when the caller has read them already (`finishedWork` on the day). */
    made?: readonly { ticket: Pick<Ticket, 'technicianId'>; made: { start: number; end: number } }[],
  ): Promise<PlanningTechnician[]> {
    const visits =
      made?.map((v) => ({ technicianId: v.ticket.technicianId, start: v.made.start, end: v.made.end })) ??
      (await this.repositories.tickets.visitsBegun(dayStart, dayStart + DAY_MS)).map((v) => v.visit);
    const worked = new Map<string, number>();
    for (const visit of visits)
      if (visit.end !== null && visit.technicianId !== null)
        worked.set(
          visit.technicianId,
          (worked.get(visit.technicianId) ?? 0) + (visit.end - visit.start) / MINUTE_MS,
        );
    return technicians.map((t) => {
      const planned = planningTechnician(t, dayStart, dayOffsetMin);
      const used = worked.get(t.id) ?? 0;
      return used > 0
        ? { ...planned, capacityMinutes: Math.max(0, Math.round(planned.capacityMinutes - used)) }
        : planned;
    });
  }

  /** The stock locations as the parts planner sees them, with what each has free of `sku` now. */
  async stockFor(sku: string): Promise<PlanningStockLocation[]> {
    const [locations, availability] = await Promise.all([
      this.stockLocations(),
      this.repositories.stock.availability(sku),
    ]);
    const free = new Map(availability.map((a) => [a.location.id, a.level.available]));
    return locations.map((l) => ({
      id: l.id,
      kind: locationKinds[l.kind],
      name: l.name,
      position: { lat: l.lat, lon: l.lon },
      partnerId: l.partnerId,
      technicianId: l.technicianId,
      available: { [sku]: free.get(l.id) ?? 0 },
    }));
  }
}

/**
 * A technician as the dispatch planner sees them on the local day starting at `dayStart` (a midnight
 * in a zone `dayOffsetMin` ahead of UTC): working hours in minutes from that midnight, available when
 * active and the day is one of their working days in their own zone.
 */
export function planningTechnician(
  technician: TechnicianRecord,
  dayStart: number,
  dayOffsetMin: number,
): PlanningTechnician {
  const ownOffset = utcOffsetMinutes(technician.workingHours.timezone, dayStart);
  const shift = dayOffsetMin - ownOffset;
  return {
    id: technician.id,
    partnerId: technician.partnerId,
    name: technician.name,
    skills: technician.skills.map((s) => ({ skill: s.skill, certifiedUntil: s.certifiedUntil })),
    homeBase: technician.home,
    workingHours: {
      startMinute: minuteOfDay(technician.workingHours.start) + shift,
      endMinute: minuteOfDay(technician.workingHours.end) + shift,
    },
    capacityMinutes: technician.dailyCapacityMinutes,
    available:
      technician.status === 'active' &&
      technician.skills.length > 0 &&
      technician.workingHours.days.includes(isoWeekday(dayStart, ownOffset)),
  };
}

/** Every item of a paged list, a page at a time. */
export async function collectPages<T>(
  fetch: (offset: number) => Promise<{ items: T[]; total: number }>,
): Promise<T[]> {
  const all: T[] = [];
  for (let offset = 0; ; offset += page) {
    const { items, total } = await fetch(offset);
    all.push(...items);
    if (items.length < page || all.length >= total) return all;
  }
}

/** The time zone most technicians work in: the board's clock. */
export function planningZone(records: readonly TechnicianRecord[]): string {
  const counts = new Map<string, number>();
  for (const t of records)
    counts.set(t.workingHours.timezone, (counts.get(t.workingHours.timezone) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? 'UTC';
}
