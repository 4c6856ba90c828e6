import {
  type ContractVisit,
  contractVisitSchema,
  feedbackSchema,
  type ListedTicket,
  listedTicketSchema,
  pageSchema,
} from '@aftercare/core';
import type { ApiClient } from './api.ts';
import { type ContractBook, planOfContract } from './customer-contracts.ts';
import {
  type CoverageView,
  comingCoverageWords,
  customerTicketTitle,
  visitKindWords,
} from './customer-words.ts';
import { waitsForRating } from './rating-window.ts';

/**
 * The customer's tickets and AMC visits as /my lists them (the API answers only with the signed-in
 * customer's): open, coming up, and which closed visits still wait for a rating. Everything is said in
 * the customer's words, as the device pages say it, never in the planners' (`ticket-words.ts`).
 */

const feedbackPageSchema = pageSchema(feedbackSchema);
const visitPageSchema = pageSchema(contractVisitSchema);
/** The customer's tickets, each with the name of who is coming. */
const listedPageSchema = pageSchema(listedTicketSchema);

const openStatuses = new Set(['open', 'scheduled', 'dispatched', 'on_site']);

export interface CustomerTicket {
  id: string;
  /** What it is for: "Preventive repair of your split air conditioner", or the problem reported. */
  title: string;
  /** "Preventive repair", "Repair you asked for", … */
  kind: string;
  status: string;
  deviceId: string;
  appointment: { start: number; end: number } | null;
  /**
   * When the work was done: the day the technician came (and fixed it, the last time when it took
   * two visits), which a booking made for later does not tell; "Past visits" dates it the same way.
   */
  visitedAt: number | null;
  createdAt: number;
  closedAt: number | null;
  rating: { csat: number; nps: number } | null;
  /** Who pays for the work still to do; null once it is done (past visits say who paid, parts and all). */
  coverage: CoverageView | null;
}

export interface UpcomingVisit {
  key: string;
  deviceId: string;
  what: string;
  /** A booked appointment, or the window the AMC visit is due in. */
  from: number;
  to: number;
  booked: boolean;
  /** Who is coming, by name, once a technician holds the visit. */
  who: string | null;
  coverage: CoverageView;
}

/** What the service answers about the customer's tickets, visits and ratings; read once per page. */
export interface CustomerTicketLists {
  tickets: ListedTicket[];
  ratings: Map<string, { csat: number; nps: number }>;
  /** AMC visits whose window has not passed yet. */
  visits: ContractVisit[];
}

/** Null when the service has no tickets yet. */
export async function loadCustomerTicketLists(
  api: ApiClient,
  now: number,
): Promise<CustomerTicketLists | null> {
  const [tickets, feedback, visits] = await Promise.all([
    api.getIfAvailable('/api/tickets', listedPageSchema, { limit: 200, include: 'technician' }),
    api.getIfAvailable('/api/feedback', feedbackPageSchema, { limit: 500 }),
    // AMC visits whose window has not passed yet (dueFrom filters on the end of the window).
    api.getIfAvailable('/api/contract-visits', visitPageSchema, { dueFrom: String(now), limit: 200 }),
  ]);
  if (tickets === null) return null;
  return {
    tickets: tickets.items,
    ratings: new Map((feedback?.items ?? []).map((f) => [f.ticketId, { csat: f.csat, nps: f.nps }])),
    visits: visits?.items ?? [],
  };
}

/**
 * The customer's tickets as /my lists them: open, waiting for a rating, and past; and the visits
 * coming up, booked or due under a contract. `devices` names each device by its model's label.
 */
export function customerTickets(
  lists: CustomerTicketLists,
  context: { now: number; book: ContractBook | null; devices: ReadonlyMap<string, string> },
) {
  const { now, book, devices } = context;
  const planOf = (contractId: string | null) => planOfContract(book, contractId);
  const all: CustomerTicket[] = lists.tickets.map((t) => ({
    id: t.id,
    title: customerTicketTitle(t, devices.get(t.deviceId) ?? null),
    kind: visitKindWords[t.kind],
    status: t.status,
    deviceId: t.deviceId,
    appointment: t.appointment,
    visitedAt: t.resolvedAt ?? t.closedAt,
    createdAt: t.createdAt,
    closedAt: t.closedAt,
    rating: lists.ratings.get(t.id) ?? null,
    coverage: openStatuses.has(t.status) ? comingCoverageWords(t.coverage, planOf(t.contractId)) : null,
  }));
  const upcoming: UpcomingVisit[] = [];
  const ticketIds = new Set<string>();
  lists.tickets.forEach((listed, i) => {
    const t = all[i]!;
    if (openStatuses.has(t.status) && t.coverage && t.appointment && t.appointment.end >= now) {
      upcoming.push({
        key: t.id,
        deviceId: t.deviceId,
        what: t.title,
        from: t.appointment.start,
        to: t.appointment.end,
        booked: true,
        who: listed.technicianName ?? null,
        coverage: t.coverage,
      });
      ticketIds.add(t.id);
    }
  });
  for (const v of lists.visits) {
    if ((v.status !== 'planned' && v.status !== 'scheduled') || v.dueTo < now) continue;
    if (v.ticketId && ticketIds.has(v.ticketId)) continue;
    upcoming.push({
      key: v.id,
      deviceId: v.deviceId,
      what: customerTicketTitle({ kind: 'amc_visit', title: '' }, devices.get(v.deviceId) ?? null),
      from: v.dueFrom,
      to: v.dueTo,
      booked: false,
      who: null,
      // The warranty may yet pay for it instead: the service decides when it opens the visit's ticket.
      coverage: comingCoverageWords('amc', planOf(v.contractId)),
    });
  }
  upcoming.sort((a, b) => a.from - b.from);
  const rateable = (t: CustomerTicket) => waitsForRating(t, now);
  return {
    open: all.filter((t) => openStatuses.has(t.status)),
    toRate: all.filter(rateable),
    past: all.filter((t) => !openStatuses.has(t.status) && !rateable(t)),
    upcoming: upcoming.slice(0, 10),
  };
}

export type CustomerTickets = ReturnType<typeof customerTickets>;
