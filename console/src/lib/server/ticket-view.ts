import {
  deliveryMissesVisit,
  deviceDetailSchema,
  pageSchema,
  partSchema,
  riskListSchema,
  type StockLocation,
  stockLocationSchema,
  type Ticket,
  type TicketDetail,
  technicianSchema,
  ticketDetailSchema,
  type WorkingHours,
} from '@aftercare/core';
import { toEvidenceView } from '../evidence-view.ts';
import { words } from '../format.ts';
import { type ApiClient, ApiError } from './api.ts';
import { componentLabel, failureModeLabel, modelLabel } from './catalog-view.ts';
import type { JobReadingsBasis } from './job-readings.ts';
import { placeView } from './ticket-place.ts';
import { namedTimeline } from './ticket-timeline.ts';
import { actorLabel, coverageLabels, kindLabels, priorityLabels } from './ticket-words.ts';

/**
 * What the ticket pages show, built on the server from the service's records: a list row and a
 * ticket with its evidence, parts, people and history in words.
 */

export { apiQuery, readTicketFilter, type TicketFilter } from './ticket-filter.ts';

const technicianPageSchema = pageSchema(technicianSchema);
const locationPageSchema = pageSchema(stockLocationSchema);
const partPageSchema = pageSchema(partSchema);

export interface TicketRow {
  id: string;
  title: string;
  kind: string;
  kindLabel: string;
  status: Ticket['status'];
  priority: string;
  priorityLabel: string;
  deviceId: string;
  technicianId: string | null;
  technicianName: string | null;
  appointment: { start: number; end: number } | null;
  slaDueAt: number;
  createdAt: number;
  updatedAt: number;
  /** When the work was resolved, and the ticket closed (or cancelled): a finished ticket says these, not its booking. */
  resolvedAt: number | null;
  closedAt: number | null;
  /** "Compressor · Compressor wear", for predictive tickets. */
  what: string | null;
}

export function toTicketRow(t: Ticket, technicians: ReadonlyMap<string, string>): TicketRow {
  return {
    id: t.id,
    title: t.title,
    kind: t.kind,
    kindLabel: kindLabels[t.kind],
    status: t.status,
    priority: t.priority,
    priorityLabel: priorityLabels[t.priority],
    deviceId: t.deviceId,
    technicianId: t.technicianId,
    technicianName: t.technicianId ? (technicians.get(t.technicianId) ?? t.technicianId) : null,
    appointment: t.appointment,
    slaDueAt: t.slaDueAt,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    resolvedAt: t.resolvedAt,
    closedAt: t.closedAt,
    what: null,
  };
}

/**
 * Technicians by id with their names; empty when the caller may not list them (a customer) or the
 * service has no such list yet.
 */
export async function technicianNames(api: ApiClient): Promise<Map<string, string>> {
  try {
    const page = await api.getIfAvailable('/api/technicians', technicianPageSchema, { limit: 500 });
    return new Map((page?.items ?? []).map((t) => [t.id, t.name]));
  } catch (err) {
    if (err instanceof ApiError && (err.status === 403 || err.status === 400)) return new Map();
    throw err;
  }
}

/** The site's position, else the device's own: where the service measures the drive from. */
function jobPosition(
  site: { lat: number; lon: number } | null,
  device: { lat: number; lon: number } | null,
): { lat: number; lon: number } | null {
  const at = site ?? device;
  return at ? { lat: at.lat, lon: at.lon } : null;
}

export async function technicianOptions(
  api: ApiClient,
): Promise<{ value: string; label: string; hours: WorkingHours }[]> {
  const page = await api.getIfAvailable('/api/technicians', technicianPageSchema, {
    limit: 500,
    status: 'active',
  });
  return (page?.items ?? [])
    .map((t) => ({
      value: t.id,
      label: `${t.name} · ${t.skills.map((s) => words(s.skill)).join(', ') || 'no skills'}`,
      hours: t.workingHours,
    }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** Every stock location by id: their names, and which technician drives each van. */
export async function stockLocationsById(api: ApiClient): Promise<Map<string, StockLocation>> {
  const page = await api.get('/api/stock-locations', locationPageSchema, { limit: 500 });
  return new Map(page.items.map((l) => [l.id, l]));
}

async function optional<T>(load: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (err instanceof ApiError && [400, 403, 404].includes(err.status)) return fallback;
    throw err;
  }
}

export type { TimelineEntry } from './ticket-timeline.ts';

export interface PartLine {
  id: string;
  sku: string;
  name: string;
  quantity: number;
  location: string;
  status: string;
  returnRequired: boolean;
}

/** One ticket as its pages show it. */
export type TicketView = Awaited<ReturnType<typeof loadTicketView>>['view'];

/**
 * A ticket with everything around it in words; 404s are the caller's to turn into "not found".
 * `viewerTechnicianId`: the technician reading it, whose own steps the timeline says were theirs.
 * `readingsBasis` hands the device it read to a technician's readings, so they need not read it
 * again; null when the device could not be read.
 */
export async function loadTicketView(
  api: ApiClient,
  id: string,
  options: { viewerTechnicianId?: string | null } = {},
) {
  const ticket: TicketDetail = await api.get(`/api/tickets/${encodeURIComponent(id)}`, ticketDetailSchema);
  const evidenceComponent = ticket.evidence ? ticket.component : null;
  const [device, technicians, locations, latestRisk] = await Promise.all([
    optional(() => api.get(`/api/devices/${encodeURIComponent(ticket.deviceId)}`, deviceDetailSchema), null),
    optional(() => technicianNames(api), new Map<string, string>()),
    optional(() => stockLocationsById(api), new Map<string, StockLocation>()),
    // The component's latest score, to show beside the one the ticket was opened on.
    evidenceComponent
      ? optional(
          async () =>
            (
              await api.get('/api/risks', riskListSchema, {
                deviceId: ticket.deviceId,
                component: evidenceComponent,
                limit: 1,
              })
            ).items[0] ?? null,
          null,
        )
      : null,
  ]);
  const parts = device
    ? await optional(
        async () =>
          new Map(
            (await api.get('/api/parts', partPageSchema, { model: device.model, limit: 500 })).items.map(
              (p) => [p.sku, p],
            ),
          ),
        new Map<string, { name: string; returnRequired: boolean }>(),
      )
    : new Map<string, { name: string; returnRequired: boolean }>();
  const model = device?.model ?? null;
  const partLine = (
    r: { id: string; sku: string; quantity: number; locationId: string },
    status: string,
  ) => ({
    id: r.id,
    sku: r.sku,
    name: parts.get(r.sku)?.name ?? r.sku,
    quantity: r.quantity,
    location: locations.get(r.locationId)?.name ?? r.locationId,
    status,
    returnRequired: parts.get(r.sku)?.returnRequired ?? false,
  });
  const coverage = coverageLabels[ticket.coverage] ?? { label: ticket.coverage, detail: '' };
  const readingsBasis: JobReadingsBasis | null = device && {
    device: {
      id: device.id,
      model: device.model,
      online: device.online,
      lastSeen: device.lastSeen,
      latest: device.latest,
    },
    failureMode: ticket.failureMode,
    evidence: ticket.evidence && { scoredAt: ticket.evidence.scoredAt, drivers: ticket.evidence.drivers },
  };

  const view = {
    id: ticket.id,
    version: ticket.version,
    title: ticket.title,
    description: ticket.description,
    kind: ticket.kind,
    kindLabel: kindLabels[ticket.kind],
    status: ticket.status,
    priority: ticket.priority,
    priorityLabel: priorityLabels[ticket.priority],
    deviceId: ticket.deviceId,
    place: placeView(ticket.place),
    /** Where the job is (the ticket's site, else its device's): visits there need no drive to or from it. */
    siteId: ticket.place?.site?.id ?? ticket.siteId,
    /** Its position for the drive from and to the technician's other visits, as the service reads it. */
    position: jobPosition(ticket.place?.site ?? null, device?.location ?? null),
    device: device
      ? { model: device.model, modelLabel: modelLabel(device.model), serial: device.serial }
      : null,
    component: ticket.component && model ? componentLabel(model, ticket.component) : ticket.component,
    failureMode:
      ticket.failureMode && model ? failureModeLabel(model, ticket.failureMode) : ticket.failureMode,
    requiredSkill: ticket.requiredSkill,
    evidence: ticket.evidence ? toEvidenceView(ticket.evidence, ticket.createdAt, latestRisk) : null,
    steps: ticket.troubleshootingSteps,
    coverage: { code: ticket.coverage, ...coverage, contractId: ticket.contractId },
    technicianId: ticket.technicianId,
    technicianName: ticket.technicianId
      ? (technicians.get(ticket.technicianId) ?? ticket.technicianId)
      : null,
    appointment: ticket.appointment,
    slaDueAt: ticket.slaDueAt,
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    resolvedAt: ticket.resolvedAt,
    closedAt: ticket.closedAt,
    reservations: ticket.reservations.map((r) => partLine(r, r.status)),
    transfers: ticket.transfers.map((t) => ({
      id: t.id,
      sku: t.sku,
      name: parts.get(t.sku)?.name ?? t.sku,
      quantity: t.quantity,
      from: locations.get(t.fromLocationId)?.name ?? t.fromLocationId,
      to: locations.get(t.toLocationId)?.name ?? t.toLocationId,
      status: t.status,
      etaAt: t.etaAt,
      arrivedAt: t.arrivedAt,
      /**
       * Still on its way but not reaching the visit: landing after it needs it (the visit moved forward
       * since it left), or at the van of a technician the job has left.
       */
      misses: deliveryMissesVisit(t, ticket, (id) => locations.get(id)?.technicianId),
    })),
    partsUsed: ticket.partsUsed.map((u) => ({
      ...partLine(u, 'fitted'),
      removedSerial: u.removedSerial,
      at: u.at,
    })),
    notes: ticket.notes
      .map((n) => ({
        id: n.id,
        at: n.at,
        text: n.text,
        by: n.authorName
          ? `${words(n.authorRole)} ${n.authorName}`
          : actorLabel({ actor: n.author, actorRole: n.authorRole }),
      }))
      .reverse(),
    timeline: namedTimeline(ticket, {
      technicians,
      locations: new Map([...locations].map(([id, l]) => [id, l.name])),
      parts: new Map([...parts].map(([sku, p]) => [sku, p.name])),
      model,
      viewerTechnicianId: options.viewerTechnicianId ?? null,
    }),
    verification: verificationOf(ticket),
    /** The device model's catalogue, for a part a technician fitted that the job had not reserved. */
    catalogue: options.viewerTechnicianId
      ? [...parts].map(([sku, p]) => ({ sku, name: p.name, returnRequired: p.returnRequired }))
      : [],
    /**
     * Where the viewing technician may take such a part from: their van first, then depots (the
     * service refuses other technicians' vans).
     */
    pickUpPoints: pickUpPointsFor(options.viewerTechnicianId ?? null, locations),
  };
  return { view, readingsBasis };
}

/** The technician's own van, then the depots and the warehouse, by name. */
function pickUpPointsFor(
  technicianId: string | null,
  locations: ReadonlyMap<string, StockLocation>,
): { id: string; name: string; own: boolean }[] {
  if (technicianId === null) return [];
  const all = [...locations.values()];
  const own = all.filter((l) => l.kind === 'van' && l.technicianId === technicianId);
  const shared = all
    .filter((l) => l.kind !== 'van')
    .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'partner_depot' ? -1 : 1));
  return [
    ...own.map((l) => ({ id: l.id, name: l.name, own: true })),
    ...shared.map((l) => ({ id: l.id, name: l.name, own: false })),
  ];
}

/**
 * What the platform has said about the fix: watching after resolution, verified, or flagged, with
 * the reason of the step that said so.
 */
function verificationOf(ticket: TicketDetail): { state: string; text: string; at: number | null } | null {
  const last = (action: string) => ticket.audit.findLast((a) => a.action === action);
  switch (ticket.status) {
    case 'resolved':
      return {
        state: 'watching',
        text: 'The platform is watching the telemetry: the ticket is verified when the degraded metrics recover, or flagged when nothing changes.',
        at: ticket.resolvedAt,
      };
    case 'verified':
    case 'closed': {
      const entry = last('verified');
      if (!entry) return null;
      return { state: 'verified', text: entry.reason ?? 'The telemetry shows the fix worked.', at: entry.at };
    }
    case 'flagged_for_review': {
      const entry = last('flagged_for_review');
      return {
        state: 'flagged',
        text: entry?.reason ?? 'Nothing measurable changed after the visit.',
        at: entry?.at ?? null,
      };
    }
    default:
      return null;
  }
}
