import { pageSchema, ticketSchema } from '@aftercare/core';
import type { ApiClient } from './api.ts';

const ticketPageSchema = pageSchema(ticketSchema);

/**
 * Open jobs with no technician that are not due soon enough for the dispatch board's "Waiting for a
 * technician" (the service lists those due within a week of the day): AMC visits due in weeks, which
 * the evening route fill books, and any other job not due yet. The board says how many there are,
 * so that an empty list does not read as "every open job has a technician".
 */

const DAY_MS = 86_400_000;
/** The service's backlog: open jobs whose SLA falls before the day's start plus this many days. */
export const waitingHorizonDays = 8;
const pageLimit = 500;
/** At most this many open tickets are read to count the later ones; the count says "at least" beyond. */
const maxPages = 10;

export interface LaterWaiting {
  /** Open jobs with no technician due after the board's horizon. */
  jobs: number;
  /** Of which AMC visits. */
  amcVisits: number;
  /** True when more open tickets exist than were read: the counts are a floor. */
  partial: boolean;
}

/** Counts the open, unassigned tickets due on or after `horizonEnd`. */
export function countLaterWaiting(
  tickets: readonly { kind: string; technicianId: string | null; slaDueAt: number }[],
  horizonEnd: number,
): { jobs: number; amcVisits: number } {
  const later = tickets.filter((t) => t.technicianId === null && t.slaDueAt >= horizonEnd);
  return { jobs: later.length, amcVisits: later.filter((t) => t.kind === 'amc_visit').length };
}

/** The end of the board's "due within a week" for the day starting at `dayStart`. */
export function waitingHorizonEnd(dayStart: number): number {
  return dayStart + waitingHorizonDays * DAY_MS;
}

/** GET /api/tickets?status=open, paged; null when the service has no tickets API. */
export async function loadLaterWaiting(api: ApiClient, dayStart: number): Promise<LaterWaiting | null> {
  const tickets = [];
  let total = 0;
  for (let page = 0; page < maxPages; page++) {
    const answer = await api.getIfAvailable('/api/tickets', ticketPageSchema, {
      status: 'open',
      limit: pageLimit,
      offset: page * pageLimit,
    });
    if (answer === null) return null;
    tickets.push(...answer.items);
    total = answer.total;
    if (tickets.length >= total || answer.items.length === 0) break;
  }
  return { ...countLaterWaiting(tickets, waitingHorizonEnd(dayStart)), partial: tickets.length < total };
}
