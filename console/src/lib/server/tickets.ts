import { ticketPageSchema } from '@aftercare/core';
import { displayTimeZone } from '../format.ts';
import { type ApiClient, ApiError } from './api.ts';
import { log } from './log.ts';
import { endOfDayIn } from './wall-clock.ts';

/**
 * Ticket figures are a secondary part of the pages that show them: when the service refuses the query
 * (a contract that moved on), the page says "not available" and the log says why, instead of failing.
 */
async function secondary<T>(what: string, load: () => Promise<T | null>): Promise<T | null> {
  try {
    return await load();
  } catch (err) {
    if (err instanceof ApiError && (err.status === 400 || err.status === 403)) {
      log().warn({ status: err.status, code: err.code, message: err.message }, `${what} unavailable`);
      return null;
    }
    throw err;
  }
}

/**
 * Ticket figures for the overview. Until the service answers GET /api/tickets (issue 4 is building
 * it), the overview says so instead of showing numbers it does not have.
 */
export type TicketSummary =
  | { available: false }
  | { available: true; open: number; dueToday: number; slaAtRisk: number; overdue: number };

const openStatuses = 'open,scheduled,dispatched,on_site';
const pageLimit = 500;
/** A ticket due within this many hours whose technician is not on site yet counts as "SLA at risk". */
const slaWarningMs = 4 * 3_600_000;

/** `timeZone`: the console's display zone, whose midnight ends "due today". */
export async function ticketSummary(
  api: ApiClient,
  now = Date.now(),
  timeZone = displayTimeZone(),
): Promise<TicketSummary> {
  const first = await api.getIfAvailable('/api/tickets', ticketPageSchema, {
    status: openStatuses,
    limit: pageLimit,
  });
  if (first === null) return { available: false };
  const tickets = [...first.items];
  for (let offset = pageLimit; offset < first.total; offset += pageLimit) {
    const page = await api.get('/api/tickets', ticketPageSchema, {
      status: openStatuses,
      limit: pageLimit,
      offset,
    });
    tickets.push(...page.items);
  }
  const endOfDay = endOfDayIn(now, timeZone);
  return {
    available: true,
    open: first.total,
    dueToday: tickets.filter((t) => t.slaDueAt >= now && t.slaDueAt <= endOfDay).length,
    overdue: tickets.filter((t) => t.slaDueAt < now).length,
    slaAtRisk: tickets.filter(
      (t) => t.slaDueAt >= now && t.slaDueAt - now <= slaWarningMs && t.status !== 'on_site',
    ).length,
  };
}

export interface TicketRow {
  id: string;
  kind: string;
  status: string;
  priority: string;
  title: string;
  deviceId: string;
  technicianId: string | null;
  appointment: { start: number; end: number } | null;
  slaDueAt: number;
}

/** Tickets matching `query`, first page of up to 500; null when the service has no tickets API yet. */
export async function listTickets(
  api: ApiClient,
  query: Record<string, string | number | undefined>,
): Promise<{ items: TicketRow[]; total: number } | null> {
  const page = await secondary('ticket list', () =>
    api.getIfAvailable('/api/tickets', ticketPageSchema, { limit: pageLimit, ...query }),
  );
  if (page === null) return null;
  return {
    total: page.total,
    items: page.items.map((t) => ({
      id: t.id,
      kind: t.kind,
      status: t.status,
      priority: t.priority,
      title: t.title,
      deviceId: t.deviceId,
      technicianId: t.technicianId,
      appointment: t.appointment,
      slaDueAt: t.slaDueAt,
    })),
  };
}

/** The statuses of a ticket that is still answering its risk (not closed or cancelled). */
const answeringStatuses = 'open,scheduled,dispatched,on_site,resolved,verified,flagged_for_review';

/**
 * The ticket that answers each device × component risk, keyed `deviceId/component`, or null when the
 * service has no tickets API yet: a predictive ticket, an AMC visit the repair was folded into, or a
 * repair the customer reported for that component. The newest ticket wins when there are several.
 */
export async function ticketsByRisk(
  api: ApiClient,
): Promise<Map<string, { id: string; status: string; title: string }> | null> {
  const query = { status: answeringStatuses, limit: pageLimit };
  const first = await secondary('tickets by risk', () =>
    api.getIfAvailable('/api/tickets', ticketPageSchema, query),
  );
  if (first === null) return null;
  const tickets = [...first.items];
  for (let offset = pageLimit; offset < first.total; offset += pageLimit) {
    tickets.push(...(await api.get('/api/tickets', ticketPageSchema, { ...query, offset })).items);
  }
  const byRisk = new Map<string, { id: string; status: string; title: string; createdAt: number }>();
  for (const t of tickets) {
    if (t.component === null) continue;
    const key = `${t.deviceId}/${t.component}`;
    const seen = byRisk.get(key);
    if (!seen || seen.createdAt < t.createdAt)
      byRisk.set(key, { id: t.id, status: t.status, title: t.title, createdAt: t.createdAt });
  }
  return new Map([...byRisk].map(([key, t]) => [key, { id: t.id, status: t.status, title: t.title }]));
}
