import {
  type AmcCalendar,
  amcCalendarSchema,
  type DispatchDayView,
  type DispatchPreview,
  type DispatchReplan,
  dispatchDaySchema,
  dispatchPreviewSchema,
  dispatchReplanSchema,
  partShortfallListSchema,
  type StockOverview,
  stockOverviewSchema,
  ticketSchema,
} from '@aftercare/core';
import type { ApiClient } from './api.ts';

/**
 * The planning pages' calls to the service: the dispatch day and what a move would do to it, the
 * parts picture, and the AMC calendar. Parsed with core's schemas, so a service that moved on shows
 * as a contract error instead of a half-drawn page.
 */

/** YYYY-MM-DD of `ts` in `timeZone`. */
export function localDate(ts: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(ts);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The dispatch day asked for; without a date, today in the technicians' own time zone (learned
 * from the first answer, since the console does not know where they work).
 */
export async function loadDispatchDay(
  api: ApiClient,
  date: string | null,
  now = Date.now(),
): Promise<DispatchDayView> {
  if (date !== null) return api.get('/api/dispatch/day', dispatchDaySchema, { date });
  const guess = new Date(now).toISOString().slice(0, 10);
  const first = await api.get('/api/dispatch/day', dispatchDaySchema, { date: guess });
  const today = localDate(now, first.timezone);
  return today === guess ? first : api.get('/api/dispatch/day', dispatchDaySchema, { date: today });
}

export function previewMove(
  api: ApiClient,
  body: { date: string; ticketId: string; technicianId: string; start?: number },
): Promise<DispatchPreview> {
  return api.request('/api/dispatch/preview', dispatchPreviewSchema, { method: 'POST', body });
}

export function assignTicket(
  api: ApiClient,
  ticketId: string,
  body: {
    technicianId: string;
    appointment: { start: number; end: number };
    version: number;
    reason: string;
  },
) {
  return api.request(`/api/tickets/${encodeURIComponent(ticketId)}/assignment`, ticketSchema, {
    method: 'PUT',
    body,
  });
}

export function runningLate(
  api: ApiClient,
  body: { date: string; ticketId: string; expectedEndAt: number; apply: boolean },
): Promise<DispatchReplan> {
  return api.request('/api/dispatch/running-late', dispatchReplanSchema, { method: 'POST', body });
}

export function replanDay(
  api: ApiClient,
  body: { date: string; technicianId: string; at?: number; apply: boolean },
): Promise<DispatchReplan> {
  return api.request('/api/dispatch/replan', dispatchReplanSchema, { method: 'POST', body });
}

export async function loadParts(api: ApiClient) {
  const [overview, shortfall] = await Promise.all([
    api.get('/api/parts/stock-overview', stockOverviewSchema),
    api.get('/api/parts/shortfall', partShortfallListSchema),
  ]);
  return { overview: overview satisfies StockOverview, shortfall };
}

export function loadAmcCalendar(
  api: ApiClient,
  query: { from?: string; months: number; partnerId?: string },
): Promise<AmcCalendar> {
  return api.get('/api/contract-visits/calendar', amcCalendarSchema, query);
}
