import {
  type DeviceModel,
  type DeviceVisit,
  deviceVisitPageSchema,
  feedbackSchema,
  inSentence,
  pageSchema,
  type TicketDetail,
  type TicketKind,
  type TicketStatus,
  ticketDetailSchema,
  ticketPageSchema,
} from '@aftercare/core';
import type { ChipTone } from '../ticket-status.ts';
import type { ApiClient } from './api.ts';
import { failureModeLabel } from './catalog-view.ts';
import { type ContractBook, planOfContract } from './customer-contracts.ts';
import {
  type CoverageView,
  coverageWords,
  partLabel,
  reportedWords,
  visitKindWords,
} from './customer-words.ts';
import { waitsForRating } from './rating-window.ts';

/**
 * The customer's past service visits: when a technician came, what was wrong and what was done,
 * the parts fitted, who paid and the rating they gave. One device's come from its service history
 * (GET /api/devices/:id/visits); the overview of all devices builds them from the tickets the API
 * shows the customer (its own) and their audit trail, which holds the technician's resolution.
 */

const feedbackPageSchema = pageSchema(feedbackSchema);

/** A ticket reached these only after someone worked on it: on site, or remotely. */
const workedStatuses = 'resolved,verified,flagged_for_review,closed';

export interface PastVisit {
  ticketId: string;
  deviceId: string;
  /** "Preventive repair", "Maintenance visit", … */
  kind: string;
  /** What was wrong: the fault the monitoring found, or the customer's own report. */
  problem: string | null;
  /** When the technician came (the last time, when it took more than one visit). */
  at: number;
  /** How many times a technician came for it; 0 when it was fixed remotely. */
  visits: number;
  /** The technician's account of what they found and did. */
  done: string | null;
  outcome: { label: string; tone: ChipTone; detail: string | null };
  parts: string[];
  /** Who came, by name (the ticket's `technicianName`). */
  technician: string | null;
  coverage: CoverageView;
  /** The customer's rating, 1–5 stars. */
  csat: number | null;
  /** The visit still waits for the customer's rating. */
  canRate: boolean;
  /** The customer asked for a follow-up with their rating: what the service desk did, once it has. */
  complaint: ComplaintFollowUp | null;
}

export interface ComplaintFollowUp {
  resolvedAt: number | null;
  resolution: string | null;
}

/** The customer's verdict on a visit, as the visit views take it. */
export interface Verdict {
  csat: number;
  complaint: ComplaintFollowUp | null;
}

const lastOf = <T>(items: readonly T[], test: (item: T) => boolean): T | undefined =>
  [...items].reverse().find(test);

/** A remote fix's reason is the automation's, not words for a customer. */
const remoteFixWords = 'Fixed remotely: a command sent to your device cleared the fault, no visit needed.';

/** What was wrong: the customer's own report of a repair they asked for, or the fault the monitoring found. */
function problemOf(
  kind: TicketKind,
  reported: string | null,
  failureMode: string | null,
  model: DeviceModel | undefined,
): string | null {
  if (kind === 'corrective') {
    const said = reported ? reportedWords(reported) : '';
    return said ? `You reported: ${said.length > 240 ? `${said.slice(0, 239)}…` : said}` : null;
  }
  if (kind === 'predictive' && failureMode && model)
    return `Spotted early by our monitoring: ${inSentence(failureModeLabel(model, failureMode))}`;
  if (kind === 'amc_visit') return 'Routine maintenance under your contract';
  return null;
}

/** How a visit turned out, from its status and whether the readings after it confirmed the fix. */
function outcomeOf(visit: {
  kind: TicketKind;
  status: TicketStatus;
  remote: boolean;
  fixVerified: boolean;
  closingReason: string | null;
}): PastVisit['outcome'] {
  const repair = visit.kind === 'predictive' || visit.kind === 'corrective';
  // Maintenance and installations have no fault whose readings could confirm them: done is done.
  if (!repair && ['resolved', 'verified', 'closed'].includes(visit.status))
    return { label: 'Done', tone: 'healthy', detail: null };
  if (visit.fixVerified)
    return {
      label: 'Fix confirmed',
      tone: 'healthy',
      detail: 'The readings after the visit show it worked.',
    };
  if (visit.status === 'flagged_for_review')
    return {
      label: 'Being checked',
      tone: 'at_risk',
      detail:
        'The readings after the visit did not improve as expected; we are looking into it and will contact you if another visit is needed.',
    };
  if (visit.status === 'resolved')
    return {
      label: visit.remote ? 'Fixed remotely' : 'Checking the fix',
      tone: 'info',
      detail: 'We watch the readings for a few days to confirm the repair worked.',
    };
  return { label: 'Closed', tone: 'neutral', detail: visit.closingReason };
}

const partWords = (quantity: number, label: string) => (quantity > 1 ? `${quantity} × ${label}` : label);

/** One visit as the customer reads it; null for a ticket nobody worked on. */
export function pastVisitView(
  ticket: TicketDetail,
  context: {
    model?: DeviceModel;
    book: ContractBook | null;
    verdict: Verdict | null;
    now: number;
  },
): PastVisit | null {
  const csat = context.verdict?.csat ?? null;
  const starts = ticket.audit.filter((e) => e.toStatus === 'on_site' && e.fromStatus !== 'on_site');
  const resolved = lastOf(ticket.audit, (e) => e.toStatus === 'resolved');
  if (!resolved && starts.length === 0) return null;
  const remote = resolved?.action === 'resolved_remotely';
  // Fixed remotely with nobody ever there: no visit to count, no technician to name, nothing to pay.
  const remoteOnly = remote && starts.length === 0;
  const at = starts.at(-1)?.at ?? ticket.appointment?.start ?? ticket.resolvedAt ?? resolved!.at;
  const parts = ticket.partsUsed.map((p) => partWords(p.quantity, partLabel(p.sku, context.model)));
  const resolvedVersion = resolved?.version ?? 0;
  return {
    ticketId: ticket.id,
    deviceId: ticket.deviceId,
    kind: visitKindWords[ticket.kind],
    problem: problemOf(ticket.kind, ticket.description, ticket.failureMode, context.model),
    at,
    visits: starts.length,
    done: remote ? remoteFixWords : (resolved?.reason ?? null),
    outcome: outcomeOf({
      kind: ticket.kind,
      status: ticket.status,
      remote,
      fixVerified: ticket.audit.some((e) => e.action === 'verified' && e.version > resolvedVersion),
      closingReason: lastOf(ticket.audit, (e) => e.toStatus === 'closed')?.reason ?? null,
    }),
    parts,
    technician: remoteOnly ? null : (ticket.technicianName ?? null),
    coverage: coverageWords(ticket.coverage, planOfContract(context.book, ticket.contractId), {
      partsFitted: parts.length > 0,
      remote: remoteOnly && parts.length === 0,
    }),
    csat,
    canRate: waitsForRating({ status: ticket.status, rating: csat, closedAt: ticket.closedAt }, context.now),
    complaint: context.verdict?.complaint ?? null,
  };
}

/** One entry of a device's service history as the customer reads it. */
export function deviceVisitView(
  visit: DeviceVisit,
  context: {
    deviceId: string;
    model: DeviceModel;
    book: ContractBook | null;
    verdict: Verdict | null;
    now: number;
  },
): PastVisit {
  const csat = context.verdict?.csat ?? null;
  return {
    ticketId: visit.ticketId,
    deviceId: context.deviceId,
    kind: visitKindWords[visit.kind],
    problem: problemOf(visit.kind, visit.reportedProblem, visit.failureMode, context.model),
    at: visit.at,
    visits: visit.onSiteVisits,
    done: visit.remote ? remoteFixWords : visit.resolution,
    outcome: outcomeOf(visit),
    parts: visit.parts.map((p) => partWords(p.quantity, p.name)),
    technician: visit.technicianName,
    coverage: coverageWords(visit.coverage, planOfContract(context.book, visit.contractId), {
      partsFitted: visit.parts.length > 0,
      remote: visit.remote && visit.onSiteVisits === 0 && visit.parts.length === 0,
    }),
    csat,
    canRate: waitsForRating({ status: visit.status, rating: csat, closedAt: visit.closedAt }, context.now),
    complaint: context.verdict?.complaint ?? null,
  };
}

/** The customer's verdicts by ticket; empty when the service takes no feedback. */
async function loadRatings(api: ApiClient): Promise<Map<string, Verdict>> {
  const feedback = await api.getIfAvailable('/api/feedback', feedbackPageSchema, { limit: 500 });
  return new Map(
    (feedback?.items ?? []).map((f) => [
      f.ticketId,
      {
        csat: f.csat,
        complaint: f.complaint
          ? { resolvedAt: f.complaintResolvedAt, resolution: f.complaintResolution }
          : null,
      },
    ]),
  );
}

/**
 * One device's latest visits, newest first, in one read of its service history (and one of the
 * customer's ratings); null when the service has no service history.
 */
export async function loadDeviceVisits(
  api: ApiClient,
  options: { book: ContractBook | null; deviceId: string; model: DeviceModel; limit: number; now: number },
): Promise<PastVisit[] | null> {
  const { book, deviceId, model, limit, now } = options;
  const [history, ratings] = await Promise.all([
    api.getIfAvailable(`/api/devices/${encodeURIComponent(deviceId)}/visits`, deviceVisitPageSchema, {
      limit,
    }),
    loadRatings(api),
  ]);
  if (history === null) return null;
  return history.items.map((visit) =>
    deviceVisitView(visit, { deviceId, model, book, verdict: ratings.get(visit.ticketId) ?? null, now }),
  );
}

/**
 * The customer's latest visits on all their devices, newest first; null when the service has no
 * tickets. One detail read per visit, so `limit` stays small.
 */
export async function loadPastVisits(
  api: ApiClient,
  options: {
    book: ContractBook | null;
    models: ReadonlyMap<string, DeviceModel>;
    limit: number;
    now: number;
  },
): Promise<PastVisit[] | null> {
  const { book, models, limit, now } = options;
  const [worked, ratings] = await Promise.all([
    api.getIfAvailable('/api/tickets', ticketPageSchema, { status: workedStatuses, limit }),
    loadRatings(api),
  ]);
  if (worked === null) return null;
  const details = await Promise.all(
    worked.items.map((t) => api.get(`/api/tickets/${encodeURIComponent(t.id)}`, ticketDetailSchema)),
  );
  return details
    .map((ticket) =>
      pastVisitView(ticket, {
        model: models.get(ticket.deviceId),
        book,
        verdict: ratings.get(ticket.id) ?? null,
        now,
      }),
    )
    .filter((v): v is PastVisit => v !== null)
    .sort((a, b) => b.at - a.at);
}
