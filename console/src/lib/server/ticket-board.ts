import { ticketPageSchema } from '@aftercare/core';
import type { ApiClient } from './api.ts';
import { apiQuery, type TicketFilter, type TicketRow, toTicketRow } from './ticket-view.ts';

/**
 * The board: one column per step of the lifecycle, the most urgent first in each. Tickets whose fix
 * is in doubt (flagged for review) stay in the resolved column, where a planner decides on them;
 * cancelled tickets are left off.
 */
export const boardColumns = [
  { key: 'open', label: 'Open', statuses: 'open' },
  { key: 'scheduled', label: 'Scheduled', statuses: 'scheduled' },
  { key: 'dispatched', label: 'Dispatched', statuses: 'dispatched' },
  { key: 'on_site', label: 'On site', statuses: 'on_site' },
  { key: 'resolved', label: 'Resolved', statuses: 'resolved,flagged_for_review' },
  { key: 'done', label: 'Verified / closed', statuses: 'verified,closed' },
] as const;

/** Cards shown per column; the column links to the full list beyond that. */
const perColumn = 30;

export interface BoardColumn {
  key: string;
  label: string;
  statuses: string;
  total: number;
  cards: TicketRow[];
}

/** Null when the service has no tickets yet. */
export async function loadBoard(
  api: ApiClient,
  filter: TicketFilter,
  technicians: ReadonlyMap<string, string>,
): Promise<BoardColumn[] | null> {
  const query = apiQuery(filter);
  const pages = await Promise.all(
    boardColumns.map((column) =>
      api.getIfAvailable('/api/tickets', ticketPageSchema, {
        ...query,
        status: column.statuses,
        // Work still to do: the soonest due first; done work: the latest first.
        sort: column.key === 'done' ? 'updated' : 'sla',
        dir: column.key === 'done' ? 'desc' : 'asc',
        limit: perColumn,
      }),
    ),
  );
  if (pages.some((p) => p === null)) return null;
  return boardColumns.map((column, i) => ({
    key: column.key,
    label: column.label,
    statuses: column.statuses,
    total: pages[i]!.total,
    cards: pages[i]!.items.map((t) => toTicketRow(t, technicians)),
  }));
}
