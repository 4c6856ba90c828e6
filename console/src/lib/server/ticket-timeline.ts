import {
  type AuditEntry,
  arrivalAgainstSlot,
  catalog,
  type DeviceModel,
  type Slot,
  slotAfter,
  slotNamed,
  type TicketDetail,
  technicianAfter,
  technicianNamed,
} from '@aftercare/core';
import { formatDateTime, formatTime, formatTimeRange, plainWords, words } from '../format.ts';
import { componentLabel, failureModeLabel } from './catalog-view.ts';
import { auditActionLabel, priorityLabels } from './ticket-words.ts';

/**
 * A ticket's audit log as people read it: who did what, named as they know each other (the
 * technician by name, "a planner", "the automation"), with the technician, part and place an entry
 * is about, and the codes of the reasons in words. The log stores ids; the names come from lookups
 * the page makes once, never one per entry.
 */

export interface TimelineEntry {
  at: number;
  label: string;
  /** What the entry is about, in names: "Revathi Rajan, 28 Nov 2026, 10:00–11:00 IST". */
  detail: string | null;
  by: string;
  reason: string | null;
  status: string;
  changedStatus: boolean;
}

export interface TimelineNames {
  /** Technician id → name; a technician may read only their own. */
  technicians: ReadonlyMap<string, string>;
  /** Part SKU → name. */
  parts: ReadonlyMap<string, string>;
  /** Stock location id → name ("Revathi Rajan's van"). */
  locations: ReadonlyMap<string, string>;
  /** The device's model, for the labels of its metrics, components and failure modes. */
  model: DeviceModel | null;
  /** The technician reading the timeline: their own steps read "you". */
  viewerTechnicianId?: string | null;
}

const systemActors: Readonly<Record<string, string>> = {
  automation: 'the automation',
  'amc-scheduler': 'the AMC scheduler',
  'amc-route-fill': 'the AMC route fill',
  'route-fill-release': 'the route fill',
  'corrective-dispatch': 'the automatic dispatch',
  'fix-verifier': 'the fix verifier',
  'remote-troubleshooting': 'remote troubleshooting',
  'demo-history': 'the demo history',
  'demo-history-planner': 'a planner (demo history)',
};

const roleWords: Readonly<Record<string, string>> = {
  planner: 'a planner',
  admin: 'an administrator',
  technician: 'the technician',
  customer: 'the customer',
};

type Ticket = Pick<TicketDetail, 'audit' | 'technicianId' | 'transfers'>;

export function namedTimeline(ticket: Ticket, names: TimelineNames): TimelineEntry[] {
  const metricLabels = new Map(
    names.model ? catalog[names.model].metrics.map((m) => [m.name, m.label] as const) : [],
  );
  const technician = (id: string) => names.technicians.get(id) ?? 'another technician';
  const part = (sku: unknown) => (typeof sku === 'string' ? (names.parts.get(sku) ?? sku) : 'a part');
  const place = (id: unknown) =>
    typeof id === 'string' ? (names.locations.get(id) ?? 'another stock location') : 'a stock location';
  // Ids and metric names inside free text, then whatever code is left, as words.
  const known = (token: string) =>
    names.technicians.get(token) ?? names.locations.get(token) ?? metricLabels.get(token) ?? token;
  const reasonOf = (reason: string | null) =>
    reason === null ? null : plainWords(reason.replace(/[A-Za-z0-9][\w-]*/g, known));

  // Only the technician a job is assigned to may act on it, so a technician's step is that one's.
  const assignedAt = technicianTimeline(ticket);
  const visits = visitTimeline(ticket);
  const timeline = ticket.audit.map(
    (a, i): TimelineEntry => ({
      at: a.at,
      label: auditActionLabel(a.action),
      detail:
        visitDetail(a, visits[i]!) ?? detailOf(a, { technician, part, place, ticket, model: names.model }),
      by: actorOf(a, assignedAt[i] ?? null, names, technician),
      reason: reasonOf(a.reason),
      status: a.toStatus,
      changedStatus: a.fromStatus !== null && a.fromStatus !== a.toStatus,
    }),
  );
  return timeline.reverse();
}

/** The technician assigned when each entry (oldest first) was written. */
function technicianTimeline(ticket: Ticket): (string | null)[] {
  // A log that never names one (an old or partial log) falls back to today's technician.
  let current = ticket.audit.some((a) => technicianNamed(a.data) !== null) ? null : ticket.technicianId;
  return ticket.audit.map((a) => {
    current = technicianAfter(a, technicianNamed(a.data), current);
    return current;
  });
}

interface VisitState {
  /** The appointment booked when the entry was written. */
  slot: Slot | null;
  /** When the work on site last began, while it lasts. */
  onSiteSince: number | null;
}

/** The booked slot and the time on site as each entry (oldest first) found them. */
function visitTimeline(ticket: Ticket): VisitState[] {
  let slot: Slot | null = null;
  let onSiteSince: number | null = null;
  return ticket.audit.map((a) => {
    const state = { slot, onSiteSince };
    slot = slotAfter(a, slotNamed(a.data), slot);
    onSiteSince = a.toStatus === 'on_site' ? (a.fromStatus === 'on_site' ? onSiteSince : a.at) : null;
    return state;
  });
}

/**
 * When work began against the slot booked for it, and how long it took on site: a visit started
 * hours before its appointment, or resolved minutes after it began, is what the office should see.
 */
function visitDetail(a: AuditEntry, visit: VisitState): string | null {
  if (a.action === 'started' && visit.slot) {
    const booked = `the booked ${formatTimeRange(visit.slot.start, visit.slot.end)}`;
    const arrival = arrivalAgainstSlot(a.at, visit.slot);
    if (arrival === 'early') return `${elapsed(visit.slot.start - a.at)} before ${booked}`;
    if (arrival === 'late') return `${elapsed(a.at - visit.slot.start)} after ${booked} began`;
    return `on time for ${booked}`;
  }
  if (a.action === 'resolved' && visit.onSiteSince !== null)
    return `after ${elapsed(a.at - visit.onSiteSince)} on site`;
  return null;
}

/** "2 h 10 min", "45 min", "3 d 4 h". */
function elapsed(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

function actorOf(
  a: AuditEntry,
  assigned: string | null,
  names: TimelineNames,
  technician: (id: string) => string,
): string {
  const [kind, id = ''] = splitActor(a.actor);
  const asTechnician = (techId: string | null) =>
    techId === null ? 'the technician' : techId === names.viewerTechnicianId ? 'you' : technician(techId);
  if (kind === 'system') return systemActors[id] ?? `the platform (${id.replace(/[-_]/g, ' ')})`;
  if (kind === 'technician') return asTechnician(id);
  if (a.actorRole === 'technician') return asTechnician(assigned);
  // The service names the people it may show this reader (`actorName`).
  if (kind === 'user' && a.actorName) return `${words(a.actorRole)} ${a.actorName}`;
  if (kind === 'token')
    return a.actorName ? `the API client "${a.actorName}"` : `an API client (${a.actorRole})`;
  if (kind === 'admin') return 'an administrator';
  return roleWords[a.actorRole] ?? words(a.actorRole);
}

function splitActor(actor: string): [string, string?] {
  const at = actor.indexOf(':');
  return at < 0 ? [actor] : [actor.slice(0, at), actor.slice(at + 1)];
}

interface Namers {
  technician: (id: string) => string;
  part: (sku: unknown) => string;
  place: (id: unknown) => string;
  ticket: Ticket;
  model: DeviceModel | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function appointmentOf(v: unknown): string | null {
  const slot = slotNamed({ appointment: v });
  return slot ? formatTimeRange(slot.start, slot.end) : null;
}

function units(quantity: unknown, name: string): string {
  const q = num(quantity) ?? 1;
  return `${q} × ${name}`;
}

function detailOf(a: AuditEntry, n: Namers): string | null {
  const d = a.data ?? {};
  switch (a.action) {
    case 'assigned':
    case 'reassigned':
    case 'scheduled': {
      const techId = str(d.technicianId);
      if (techId === null) return null;
      const previous = str(d.previousTechnicianId);
      const who =
        previous && previous !== techId
          ? `${n.technician(previous)} → ${n.technician(techId)}`
          : n.technician(techId);
      const when = appointmentOf(d.appointment);
      return when ? `${who}, ${when}` : who;
    }
    case 'visit_extended': {
      const slot = slotNamed(d);
      const previousEnd = num(d.previousEnd);
      if (slot === null) return null;
      const was = previousEnd === null ? '' : ` (booked until ${formatTime(previousEnd)})`;
      return `now ends at ${formatTime(slot.end, { zone: true })}${was}`;
    }
    case 'part_reserved':
      return `${units(d.quantity, n.part(d.sku))} at ${n.place(d.locationId)}`;
    case 'part_released':
      return `${units(d.quantity, n.part(d.sku))} back to ${n.place(d.locationId)}`;
    case 'part_used':
      return `${units(d.quantity, n.part(d.sku))} from ${n.place(d.locationId)}`;
    case 'transfer_created':
    case 'transfer_redirected': {
      const eta = num(d.etaAt);
      const route =
        a.action === 'transfer_created' ? `${n.place(d.from)} → ${n.place(d.to)}` : `now to ${n.place(d.to)}`;
      return `${n.part(d.sku)}: ${route}${eta === null ? '' : `, due ${formatDateTime(eta)}`}`;
    }
    case 'transfer_cancelled':
      return `${n.part(d.sku)} back to ${n.place(d.from)}`;
    case 'transfer_arrived': {
      const transfer = n.ticket.transfers.find((t) => t.id === d.transferId);
      return transfer ? `${n.part(transfer.sku)} at ${n.place(transfer.toLocationId)}` : null;
    }
    case 'command_sent':
    case 'command_answered':
    case 'command_failed':
    case 'command_timed_out': {
      const command = str(d.command);
      return command === null ? null : words(command);
    }
    case 'priority_raised': {
      const from = str(d.from);
      const to = str(d.to);
      const label = (p: string) => priorityLabels[p as keyof typeof priorityLabels] ?? words(p);
      return from && to ? `${label(from)} → ${label(to)}` : null;
    }
    case 'predictive_work_folded':
    case 'predictive_work_unfolded': {
      const component = str(d.component);
      const mode = str(d.failureMode);
      if (component === null) return null;
      const what = n.model ? componentLabel(n.model, component) : words(component);
      const how = mode === null ? '' : ` · ${n.model ? failureModeLabel(n.model, mode) : words(mode)}`;
      return `${what}${how}`;
    }
    default:
      return null;
  }
}
