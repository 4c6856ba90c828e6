import { ticketPageSchema } from '@aftercare/core';
import { ticketsDependency } from '$lib/live-keys.ts';
import { apiFor } from '$lib/server/api.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import { loadBoard } from '$lib/server/ticket-board.ts';
import { apiQuery, readTicketFilter, technicianNames, toTicketRow } from '$lib/server/ticket-view.ts';
import { kindOptions, priorityOptions } from '$lib/server/ticket-words.ts';
import type { PageServerLoad } from './$types';

const pageSize = 50;

/** Tickets as a list (filtered, sorted and paged by the API) or as a board by status. */
export const load: PageServerLoad = async ({ locals, url, depends }) => {
  depends(ticketsDependency);
  const api = apiFor(locals);
  const filter = readTicketFilter(url.searchParams);
  try {
    const technicians = await technicianNames(api);
    const options = {
      kinds: kindOptions,
      priorities: priorityOptions,
      technicians: [...technicians]
        .map(([value, label]) => ({ value, label }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    };
    if (filter.view === 'board') {
      const board = await loadBoard(api, filter, technicians);
      if (board === null) return { title: 'Tickets', available: false as const, filter, ...options };
      return { title: 'Tickets', available: true as const, filter, ...options, board, list: null };
    }
    const fetchPage = (n: number) =>
      api.getIfAvailable('/api/tickets', ticketPageSchema, {
        ...apiQuery(filter),
        limit: pageSize,
        offset: (n - 1) * pageSize,
      });
    let page = await fetchPage(filter.page);
    if (page === null) return { title: 'Tickets', available: false as const, filter, ...options };
    const pages = Math.max(1, Math.ceil(page.total / pageSize));
    // A page past the last (an old link, a list that shrank) shows the last page, as the risk list does.
    const shown = Math.min(filter.page, pages);
    if (shown !== filter.page && page.total > 0) page = (await fetchPage(shown)) ?? page;
    return {
      title: 'Tickets',
      available: true as const,
      filter: { ...filter, page: shown },
      ...options,
      board: null,
      list: { rows: page.items.map((t) => toTicketRow(t, technicians)), total: page.total, pages },
    };
  } catch (err) {
    rethrowForPage(err);
  }
};
