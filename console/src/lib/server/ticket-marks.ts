import { ticketPageSchema } from '@aftercare/core';
import type { ApiClient } from './api.ts';
import { ApiError } from './api-error.ts';

/** How many of the tickets opened in a chart's window it draws: more would be a hatched band. */
export const ticketMarkLimit = 100;

/**
 * The tickets opened for a device inside a chart's window, oldest first, to draw on its risk chart:
 * read for the window itself, so a zoom into a busy month shows that month's tickets, not those a
 * page's list of the latest few happens to hold. `total` counts every ticket of the window.
 */
export interface TicketMarks {
  items: { at: number; title: string }[];
  total: number;
}

/**
 * GET /api/tickets?deviceId&createdFrom&createdTo; null when the service lists no tickets or the list
 * fails (the chart is drawn without its lines, and says nothing of tickets then).
 */
export async function loadTicketMarks(
  api: ApiClient,
  deviceId: string,
  from: number,
  to: number,
): Promise<TicketMarks | null> {
  const page = await api
    .getIfAvailable('/api/tickets', ticketPageSchema, {
      deviceId,
      createdFrom: from,
      // The window's end is drawn, and createdTo is exclusive.
      createdTo: to + 1,
      sort: 'created',
      dir: 'asc',
      limit: ticketMarkLimit,
    })
    .catch((err) => {
      if (err instanceof ApiError && err.status !== 401) return null;
      throw err;
    });
  if (page === null) return null;
  return { items: page.items.map((t) => ({ at: t.createdAt, title: t.title })), total: page.total };
}
