import {
  type Arrival,
  arrivalAgainstSlot,
  type DeviceModel,
  type Slot,
  slotAfter,
  slotBookingActions,
  slotNamed,
  type TicketKind,
  type TicketStatus,
  technicianAfter,
  technicianNamed,
} from '@aftercare/core';
import { reachOf, servicingPartner } from '../automation/partner-reach.ts';
import { MINUTE_MS } from '../automation/work.ts';
import type { ServiceDatabase } from '../db/database.ts';
import { planningZoneOf } from '../db/planning-zone.ts';
import { parseAuditData } from '../tickets/ticket-rows.ts';
import { utcOffsetMinutes } from './local-time.ts';

/*
 * Reads what the KPIs, trends and scorecards are computed from, for one period and filters, out of
 * the service's own records: tickets with their audit log, parts used and returned, feedback and the
 * technicians' calendars. The figures themselves are pure (kpi-insights.ts, automation/kpis.ts).
 *
 * What counts as a failure is read from the tickets, the records of what really happened:
 * - a failure that happened: a corrective (customer-reported) ticket naming a failure mode;
 * - a failure prevented: a predictive ticket whose visit fixed something, seen as a part fitted on it
 *   or its fix verified in telemetry; or one fixed remotely (a remote command cleared the fault, as its
 *   telemetry or its risk showed: the lifecycle's `resolved_remotely`) and not flagged since, a
 *   failure prevented without a visit;
 * - a false alarm: a predictive ticket whose work is over without either.
 *
 * A partner filter asks about two things, and the records hold both (the figures pick theirs):
 * - the partner's jobs: the tickets its technicians took (the KPIs and scorecards grade its work);
 * - the partner's devices: those at the sites it services, the nearest partner whose coverage reaches
 *   the site, else the nearest (the rule that gives a site's AMC visits to a partner), with all their
 *   tickets, whoever took them (the trends divide failures by devices: both must be the same fleet).
 */

export interface InsightFilter {
  from: number;
  to: number;
  model: DeviceModel | null;
  /** The partner: its jobs for the KPIs and scorecards, its devices for the trends (see above). */
  partnerId: string | null;
  region: string | null;
}

export interface InsightDevice {
  id: string;
  model: DeviceModel;
  installedAt: number | null;
  region: string | null;
  /** The partner that services its site (see above); null without a position or a partner. */
  servicedBy: string | null;
}

export interface InsightTicket {
  id: string;
  kind: TicketKind;
  status: TicketStatus;
  deviceId: string;
  model: DeviceModel;
  component: string | null;
  failureMode: string | null;
  technicianId: string | null;
  partnerId: string | null;
  openedAt: number;
  resolvedAt: number | null;
  cancelledAt: number | null;
  slaDueAt: number;
  firstOnSiteAt: number | null;
  /** When the first visit began against the slot booked at the time; null without a slot. */
  firstArrival: Arrival | null;
  /**
   * Who the first visit was booked for when it began: punctuality is theirs, whoever the ticket went
   * to after it (reopened and booked with someone else). Null without a visit or a booking naming one.
   */
  firstVisitTechnicianId: string | null;
  /** That technician's partner. */
  firstVisitPartnerId: string | null;
  /** On-site visits (each 'started' step of the audit log). */
  visits: number;
  /** The last verdict of the fix verification: true verified, false flagged, null none yet. */
  verified: boolean | null;
  /** Its last resolution was the platform's `resolved_remotely`: a remote command fixed it, nobody went. */
  fixedRemotely: boolean;
  /** Minutes on site, summed over the visits. */
  onSiteMinutes: number;
  partsUsed: number;
  /** When the first part was fitted, and the start of the second visit (if any). */
  firstPartAt: number | null;
  secondVisitAt: number | null;
  partsToReturn: number;
  partsReturned: number;
}

export interface InsightFeedback {
  ticketId: string;
  at: number;
  csat: number;
  nps: number;
  complaint: boolean;
  complaintResolvedAt: number | null;
}

/** Time on site of one ticket opened in the period, whatever the filters: what utilisation counts. */
export interface InsightOnSite {
  technicianId: string;
  /** The first arrival: the day the minutes are counted on. */
  at: number;
  minutes: number;
}

export interface InsightTechnician {
  id: string;
  name: string;
  partnerId: string;
  workDays: number[];
  dailyCapacityMinutes: number;
}

export interface InsightData {
  filter: InsightFilter;
  /** Local time offset of the service network, for month boundaries. */
  utcOffsetMin: number;
  /** The devices of the model and region filters, every partner's. */
  devices: InsightDevice[];
  /** Under a partner filter, its jobs and its devices' tickets (see above). */
  tickets: InsightTicket[];
  feedback: InsightFeedback[];
  /** The partners asked about: all of them, or the one of the partner filter. */
  partners: { id: string; name: string; kind: string }[];
  technicians: InsightTechnician[];
  /**
   * Every technician's time on site in the period, on any device: utilisation is how busy people
   * are, so a filter chooses whose time counts, never which of their jobs (kpi-utilisation.ts).
   */
  onSite: InsightOnSite[];
  regions: string[];
}

/** The locality of an address written "number, street, area, city": the part before the city. */
export function areaOfAddress(address: string | null): string | null {
  if (!address) return null;
  const parts = address.split(',').map((p) => p.trim());
  return parts.length >= 3 ? (parts[parts.length - 2] ?? null) : null;
}

/**
 * Default period: the last twelve calendar months where the planners work, the current one to date,
 * as the console's trends ask for them. "365 days back" began mid-month and drew a thirteenth,
 * partial month that read as a quiet one.
 */
export function defaultPeriod(now: number, utcOffsetMin = 0): { from: number; to: number } {
  const local = new Date(now + utcOffsetMin * MINUTE_MS);
  const from = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 11, 1) - utcOffsetMin * MINUTE_MS;
  return { from, to: now };
}

/**
 * Loads the records of one period and filters. Tickets belong to the period by when they were opened;
 * months are counted in `zone` (default: the one most technicians work in). Under a partner filter
 * the tickets are those of its jobs and of its devices (see above).
 */
export async function loadInsightData(
  db: ServiceDatabase,
  filter: InsightFilter,
  zone?: string,
): Promise<InsightData> {
  const [deviceRows, partners, technicianRows, timezone] = await Promise.all([
    db
      .selectFrom('devices')
      .leftJoin('sites', 'sites.id', 'devices.site_id')
      .select([
        'devices.id',
        'devices.model',
        'devices.installed_at',
        'devices.address',
        'devices.lat',
        'devices.lon',
        'sites.address as site_address',
        'sites.lat as site_lat',
        'sites.lon as site_lon',
      ])
      .execute(),
    db
      .selectFrom('service_partners')
      .select(['id', 'name', 'kind', 'lat', 'lon', 'coverage_radius_km'])
      .orderBy('name')
      .execute(),
    db
      .selectFrom('technicians')
      .select(['id', 'name', 'partner_id', 'work_days', 'daily_capacity_minutes', 'timezone'])
      .orderBy('id')
      .execute(),
    zone ?? planningZoneOf(db),
  ]);
  const network = partners.map((p) => reachOf({ ...p, coverageRadiusKm: p.coverage_radius_km }));
  const allDevices = deviceRows.map((d): InsightDevice => {
    const lat = d.site_lat ?? d.lat;
    const lon = d.site_lon ?? d.lon;
    return {
      id: d.id,
      model: d.model,
      installedAt: d.installed_at === null ? null : Date.parse(d.installed_at),
      region: areaOfAddress(d.site_address) ?? areaOfAddress(d.address),
      servicedBy:
        lat === null || lon === null || network.length === 0 ? null : servicingPartner(network, { lat, lon }),
    };
  });
  const regions = [...new Set(allDevices.flatMap((d) => (d.region ? [d.region] : [])))].sort();
  const region = filter.region?.toLowerCase() ?? null;
  const devices = allDevices.filter(
    (d) =>
      (filter.model === null || d.model === filter.model) &&
      (region === null || d.region?.toLowerCase() === region),
  );
  const inScope = new Map(devices.map((d) => [d.id, d]));
  const deviceById = new Map(allDevices.map((d) => [d.id, d]));

  const ticketRows = await db
    .selectFrom('tickets')
    .leftJoin('technicians', 'technicians.id', 'tickets.technician_id')
    .select([
      'tickets.id',
      'tickets.kind',
      'tickets.status',
      'tickets.device_id',
      'tickets.component',
      'tickets.failure_mode',
      'tickets.technician_id',
      'technicians.partner_id',
      'tickets.created_at',
      'tickets.resolved_at',
      'tickets.closed_at',
      'tickets.sla_due_at',
    ])
    .where('tickets.created_at', '>=', filter.from)
    .where('tickets.created_at', '<', filter.to)
    .execute();
  // Every ticket of the period is read through (utilisation needs their time on site); the filters
  // choose the ones returned.
  const tickets = new Map<string, InsightTicket>();
  for (const t of ticketRows) {
    const device = deviceById.get(t.device_id);
    if (!device) continue;
    tickets.set(t.id, {
      id: t.id,
      kind: t.kind,
      status: t.status,
      deviceId: t.device_id,
      model: device.model,
      component: t.component,
      failureMode: t.failure_mode,
      technicianId: t.technician_id,
      partnerId: t.partner_id,
      openedAt: Number(t.created_at),
      resolvedAt: t.resolved_at === null ? null : Number(t.resolved_at),
      cancelledAt: t.status === 'cancelled' && t.closed_at !== null ? Number(t.closed_at) : null,
      slaDueAt: Number(t.sla_due_at),
      firstOnSiteAt: null,
      firstArrival: null,
      firstVisitTechnicianId: null,
      firstVisitPartnerId: null,
      visits: 0,
      verified: null,
      fixedRemotely: false,
      onSiteMinutes: 0,
      partsUsed: 0,
      firstPartAt: null,
      secondVisitAt: null,
      partsToReturn: 0,
      partsReturned: 0,
    });
  }

  const inPeriod = <T extends { ticket_id: string }>(rows: T[]) =>
    rows.filter((r) => tickets.has(r.ticket_id));
  const ticketsOpenedInPeriod = (q: 'ticket_audit' | 'ticket_parts_used' | 'part_returns' | 'feedback') =>
    db
      .selectFrom(q)
      .innerJoin('tickets', 'tickets.id', `${q}.ticket_id`)
      .where('tickets.created_at', '>=', filter.from)
      .where('tickets.created_at', '<', filter.to);
  const [audit, partsUsed, returns, feedbackRows] = await Promise.all([
    ticketsOpenedInPeriod('ticket_audit')
      .select([
        'ticket_audit.ticket_id',
        'ticket_audit.at',
        'ticket_audit.to_status',
        'ticket_audit.from_status',
        'ticket_audit.action',
        // Only booking steps' data is read (their appointment): a predictive ticket's evidence is large.
        (eb) =>
          eb
            .case()
            .when('ticket_audit.action', 'in', [...slotBookingActions])
            .then(eb.ref('ticket_audit.data'))
            .else(null)
            .end()
            .as('data'),
      ])
      .orderBy('ticket_audit.ticket_id')
      .orderBy('ticket_audit.version')
      .execute(),
    ticketsOpenedInPeriod('ticket_parts_used')
      .innerJoin('parts', 'parts.sku', 'ticket_parts_used.sku')
      .select([
        'ticket_parts_used.ticket_id',
        'ticket_parts_used.at',
        'ticket_parts_used.quantity',
        'parts.return_required',
      ])
      .execute(),
    ticketsOpenedInPeriod('part_returns').select(['part_returns.ticket_id']).execute(),
    ticketsOpenedInPeriod('feedback')
      .select([
        'feedback.ticket_id',
        'feedback.created_at',
        'feedback.csat',
        'feedback.nps',
        'feedback.complaint',
        'feedback.complaint_resolved_at',
      ])
      .execute(),
  ]);

  const onSiteSince = new Map<string, number>();
  const slotOf = new Map<string, Slot>();
  const bookedFor = new Map<string, string | null>();
  const partnerOfTechnician = new Map(technicianRows.map((r) => [r.id, r.partner_id]));
  for (const a of inPeriod(audit)) {
    const t = tickets.get(a.ticket_id)!;
    const at = Number(a.at);
    const step = { action: a.action, toStatus: a.to_status };
    const data = parseAuditData(a.data);
    const slot = slotAfter(step, slotNamed(data), slotOf.get(t.id) ?? null);
    if (slot) slotOf.set(t.id, slot);
    else slotOf.delete(t.id);
    bookedFor.set(t.id, technicianAfter(step, technicianNamed(data), bookedFor.get(t.id) ?? null));
    if (a.to_status === 'on_site' && a.from_status !== 'on_site') {
      t.visits++;
      if (t.visits === 1) {
        t.firstOnSiteAt = at;
        const slot = slotOf.get(t.id);
        t.firstArrival = slot ? arrivalAgainstSlot(at, slot) : null;
        t.firstVisitTechnicianId = bookedFor.get(t.id) ?? null;
        t.firstVisitPartnerId = partnerOfTechnician.get(t.firstVisitTechnicianId ?? '') ?? null;
      }
      if (t.visits === 2) t.secondVisitAt = at;
      onSiteSince.set(t.id, at);
    }
    if (a.from_status === 'on_site' && a.to_status !== 'on_site') {
      const since = onSiteSince.get(t.id);
      // Audit times follow the service's clock, which can step back (a clock corrected, a held test
      // clock): a visit that seems to end before it began adds no time rather than negative time.
      if (since !== undefined) t.onSiteMinutes += Math.max(0, at - since) / 60_000;
      onSiteSince.delete(t.id);
    }
    if (a.to_status === 'resolved' && a.from_status !== 'resolved')
      t.fixedRemotely = a.action === 'resolved_remotely';
    if (a.to_status === 'verified' && a.from_status !== 'verified') t.verified = true;
    if (a.to_status === 'flagged_for_review' && a.from_status !== 'flagged_for_review') t.verified = false;
  }
  for (const p of inPeriod(partsUsed)) {
    const t = tickets.get(p.ticket_id)!;
    t.partsUsed += p.quantity;
    if (t.firstPartAt === null || Number(p.at) < t.firstPartAt) t.firstPartAt = Number(p.at);
    if (p.return_required === 1) t.partsToReturn += p.quantity;
  }
  for (const r of inPeriod(returns)) tickets.get(r.ticket_id)!.partsReturned++;
  const partner = filter.partnerId;
  const chosen = [...tickets.values()].filter((t) => {
    const device = inScope.get(t.deviceId);
    return (
      device !== undefined &&
      (partner === null ||
        t.partnerId === partner ||
        device.servicedBy === partner ||
        // Its first visit is the partner's to answer for, whoever holds the ticket since.
        t.firstVisitPartnerId === partner)
    );
  });
  const chosenIds = new Set(chosen.map((t) => t.id));
  const feedback = inPeriod(feedbackRows)
    .filter((f) => chosenIds.has(f.ticket_id))
    .map((f) => ({
      ticketId: f.ticket_id,
      at: Number(f.created_at),
      csat: f.csat,
      nps: f.nps,
      complaint: f.complaint === 1,
      complaintResolvedAt: f.complaint_resolved_at === null ? null : Number(f.complaint_resolved_at),
    }));

  const technicians = technicianRows
    .filter((t) => filter.partnerId === null || t.partner_id === filter.partnerId)
    .map((t) => ({
      id: t.id,
      name: t.name,
      partnerId: t.partner_id,
      workDays: t.work_days.split(',').map(Number),
      dailyCapacityMinutes: t.daily_capacity_minutes,
    }));
  return {
    filter,
    utcOffsetMin: utcOffsetMinutes(timezone, filter.to),
    devices,
    tickets: chosen,
    feedback,
    partners: partners
      .filter((p) => filter.partnerId === null || p.id === filter.partnerId)
      .map((p) => ({ id: p.id, name: p.name, kind: p.kind })),
    technicians,
    onSite: [...tickets.values()].flatMap((t) =>
      t.technicianId === null || t.firstOnSiteAt === null
        ? []
        : [{ technicianId: t.technicianId, at: t.firstOnSiteAt, minutes: t.onSiteMinutes }],
    ),
    regions,
  };
}
