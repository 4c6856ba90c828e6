import {
  type DeviceModel,
  feedbackSchema,
  pageSchema,
  type TicketDetail,
  ticketDetailSchema,
  ticketSchema,
} from '@aftercare/core';
import type { ChipTone } from '../ticket-status.ts';
import type { ApiClient } from './api.ts';
import { failureModeLabel } from './catalog-view.ts';
import { type ContractBook, planOfContract } from './customer-contracts.ts';
import { type CoverageView, coverageWords, partLabel, visitKindWords } from './customer-words.ts';
import { waitsForRating } from './rating-window.ts';

/**
 * The customer's past service visits: when a technician came, what was wrong and what was done,
 * the parts fitted, who paid and the rating they gave. Built from the tickets the API shows the
 * customer (its own), and their audit trail, which holds the technician's resolution.
 */

const feedbackPageSchema = pageSchema(feedbackSchema);
const ticketPageSchema = pageSchema(ticketSchema);

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
}

const lastOf = <T>(items: readonly T[], test: (item: T) => boolean): T | undefined =>
  [...items].reverse().find(test);

function problemOf(ticket: TicketDetail, model: DeviceModel | undefined): string | null {
  if (ticket.kind === 'corrective') {
    const said = ticket.description.trim();
    return said ? `You reported: ${said.length > 240 ? `${said.slice(0, 239)}…` : said}` : null;
  }
  if (ticket.kind === 'predictive' && ticket.failureMode && model)
    return `Spotted early by our monitoring: ${failureModeLabel(model, ticket.failureMode).toLowerCase()}`;
  if (ticket.kind === 'amc_visit') return 'Routine maintenance under your contract';
  return null;
}

function outcomeOf(ticket: TicketDetail, remote: boolean): PastVisit['outcome'] {
  const repair = ticket.kind === 'predictive' || ticket.kind === 'corrective';
  const resolvedAt = lastOf(ticket.audit, (e) => e.toStatus === 'resolved')?.version ?? 0;
  const verified = ticket.audit.some((e) => e.action === 'verified' && e.version > resolvedAt);
  if (verified)
    return repair
      ? {
          label: 'Fix confirmed',
          tone: 'healthy',
          detail: 'The readings after the visit show it worked.',
        }
      : { label: 'Done', tone: 'healthy', detail: null };
  if (ticket.status === 'flagged_for_review')
    return {
      label: 'Being checked',
      tone: 'at_risk',
      detail:
        'The readings after the visit did not improve as expected; we are looking into it and will contact you if another visit is needed.',
    };
  if (ticket.status === 'resolved')
    return {
      label: remote ? 'Fixed remotely' : 'Checking the fix',
      tone: 'info',
      detail: 'We watch the readings for a few days to confirm the repair worked.',
    };
  const closing = lastOf(ticket.audit, (e) => e.toStatus === 'closed');
  return { label: 'Closed', tone: 'neutral', detail: closing?.reason ?? null };
}

/** One visit as the customer reads it; null for a ticket nobody worked on. */
export function pastVisitView(
  ticket: TicketDetail,
  context: {
    model?: DeviceModel;
    book: ContractBook | null;
    csat: number | null;
    now: number;
  },
): PastVisit | null {
  const starts = ticket.audit.filter((e) => e.toStatus === 'on_site' && e.fromStatus !== 'on_site');
  const resolved = lastOf(ticket.audit, (e) => e.toStatus === 'resolved');
  if (!resolved && starts.length === 0) return null;
  const remote = resolved?.action === 'resolved_remotely';
  const at = starts.at(-1)?.at ?? ticket.appointment?.start ?? ticket.resolvedAt ?? resolved!.at;
  const parts = ticket.partsUsed.map((p) => {
    const label = partLabel(p.sku, context.model);
    return p.quantity > 1 ? `${p.quantity} × ${label}` : label;
  });
  return {
    ticketId: ticket.id,
    deviceId: ticket.deviceId,
    kind: visitKindWords[ticket.kind],
    problem: problemOf(ticket, context.model),
    at,
    visits: remote ? 0 : starts.length,
    // A remote fix's reason is the automation's, not words for a customer.
    done: remote
      ? 'Fixed remotely: a command sent to your device cleared the fault, no visit needed.'
      : (resolved?.reason ?? null),
    outcome: outcomeOf(ticket, remote),
    parts,
    technician: remote ? null : (ticket.technicianName ?? null),
    coverage: coverageWords(
      ticket.coverage,
      planOfContract(context.book, ticket.contractId),
      parts.length > 0,
    ),
    csat: context.csat,
    canRate: waitsForRating(
      { status: ticket.status, rating: context.csat, closedAt: ticket.closedAt },
      context.now,
    ),
  };
}

/**
 * The customer's latest visits, newest first (of one device, when given); null when the service
 * has no tickets. One detail read per visit, so `limit` stays small.
 */
export async function loadPastVisits(
  api: ApiClient,
  options: {
    book: ContractBook | null;
    models: ReadonlyMap<string, DeviceModel>;
    limit: number;
    now: number;
    deviceId?: string;
  },
): Promise<PastVisit[] | null> {
  const { book, models, limit, now, deviceId } = options;
  const [worked, feedback] = await Promise.all([
    api.getIfAvailable('/api/tickets', ticketPageSchema, { status: workedStatuses, deviceId, limit }),
    api.getIfAvailable('/api/feedback', feedbackPageSchema, { limit: 500 }),
  ]);
  if (worked === null) return null;
  const ratings = new Map((feedback?.items ?? []).map((f) => [f.ticketId, f.csat]));
  const details = await Promise.all(
    worked.items.map((t) => api.get(`/api/tickets/${encodeURIComponent(t.id)}`, ticketDetailSchema)),
  );
  return details
    .map((ticket) =>
      pastVisitView(ticket, {
        model: models.get(ticket.deviceId),
        book,
        csat: ratings.get(ticket.id) ?? null,
        now,
      }),
    )
    .filter((v): v is PastVisit => v !== null)
    .sort((a, b) => b.at - a.at);
}
