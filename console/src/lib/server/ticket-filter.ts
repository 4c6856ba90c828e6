import {
  defaultTicketSortDirection,
  type SortDirection,
  type TicketSortKey,
  ticketKinds,
  ticketPriorities,
  ticketSortKeys,
  ticketStatuses,
} from '@aftercare/core';

/**
 * The ticket list's filter as the URL carries it (`?status=&kind=&priority=&technician=&device=
 * &sort=&dir=&page=&view=`), and as the API's query. Pure, so it is tested without a server.
 */

export interface TicketFilter {
  status: string;
  kind: string;
  priority: string;
  technicianId: string;
  deviceId: string;
  sort: TicketSortKey;
  dir: SortDirection;
  page: number;
  view: 'list' | 'board';
}

const idPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const oneOf = <T extends string>(value: string | null, options: readonly T[]): T | '' =>
  value !== null && (options as readonly string[]).includes(value) ? (value as T) : '';

/** The list's filter from the URL; anything the API would refuse is dropped rather than failing the page. */
export function readTicketFilter(params: URLSearchParams): TicketFilter {
  const status = (params.get('status') ?? '')
    .split(',')
    .filter((s) => (ticketStatuses as readonly string[]).includes(s))
    .join(',');
  const sort = oneOf(params.get('sort'), ticketSortKeys) || 'created';
  const dir = oneOf(params.get('dir'), ['asc', 'desc'] as const) || defaultTicketSortDirection[sort];
  const technicianId = params.get('technician') ?? '';
  const deviceId = (params.get('device') ?? '').trim();
  const page = Number(params.get('page'));
  return {
    status,
    kind: oneOf(params.get('kind'), ticketKinds),
    priority: oneOf(params.get('priority'), ticketPriorities),
    technicianId: idPattern.test(technicianId) ? technicianId : '',
    deviceId: idPattern.test(deviceId) ? deviceId : '',
    sort,
    dir,
    page: Number.isInteger(page) && page > 1 ? page : 1,
    view: params.get('view') === 'board' ? 'board' : 'list',
  };
}

/** The API query of a filter (the page and sort as `limit/offset` and `sort/dir`). */
export function apiQuery(filter: TicketFilter): Record<string, string | undefined> {
  return {
    status: filter.status || undefined,
    kind: filter.kind || undefined,
    priority: filter.priority || undefined,
    technicianId: filter.technicianId || undefined,
    deviceId: filter.deviceId || undefined,
    sort: filter.sort,
    dir: filter.dir,
  };
}
