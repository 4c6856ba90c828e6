/**
 * The service's ticket lifecycle (core's ticketStatuses): open → scheduled → dispatched → on site →
 * resolved → verified → closed, or cancelled; flagged for review when a fix does not show in the
 * telemetry. Labels and chip tones, so every page shows a status alike.
 */
export type ChipTone = 'healthy' | 'at_risk' | 'failed' | 'offline' | 'info' | 'neutral';

export const ticketStatusView: Readonly<Record<string, { label: string; tone: ChipTone }>> = {
  open: { label: 'Open', tone: 'info' },
  scheduled: { label: 'Scheduled', tone: 'info' },
  dispatched: { label: 'Dispatched', tone: 'info' },
  on_site: { label: 'On site', tone: 'at_risk' },
  resolved: { label: 'Resolved', tone: 'healthy' },
  verified: { label: 'Verified', tone: 'healthy' },
  closed: { label: 'Closed', tone: 'neutral' },
  cancelled: { label: 'Cancelled', tone: 'offline' },
  flagged_for_review: { label: 'Needs review', tone: 'failed' },
};

export function ticketStatus(status: string): { label: string; tone: ChipTone } {
  return ticketStatusView[status] ?? { label: status.replace(/_/g, ' '), tone: 'neutral' };
}

/** A technician reads their own job by what is left to do: booked for them, or accepted by them. */
const technicianWords: Readonly<Record<string, { label: string; tone: ChipTone }>> = {
  scheduled: { label: 'To accept', tone: 'at_risk' },
  dispatched: { label: 'Accepted', tone: 'info' },
};

export function technicianJobStatus(status: string): { label: string; tone: ChipTone } {
  return technicianWords[status] ?? ticketStatus(status);
}

/** Statuses after the work on site is over: the ticket no longer races its SLA. */
export const finishedTicketStatuses: readonly string[] = [
  'resolved',
  'verified',
  'flagged_for_review',
  'closed',
  'cancelled',
];

/** What stands where a finished ticket's booking would: the work is over, and when it ended. */
export interface FinishedWork {
  label: 'Done' | 'Cancelled';
  /** When it was resolved (else closed); a cancelled ticket's cancellation. Null when not recorded. */
  at: number | null;
}

/**
 * A finished ticket reads as done (or cancelled) with when, never as its old appointment, which would
 * look like a visit still to come. Null while the work is still ahead: then the booking is the news.
 */
export function finishedWork(ticket: {
  status: string;
  resolvedAt?: number | null;
  closedAt?: number | null;
}): FinishedWork | null {
  if (!finishedTicketStatuses.includes(ticket.status)) return null;
  if (ticket.status === 'cancelled') return { label: 'Cancelled', at: ticket.closedAt ?? null };
  return { label: 'Done', at: ticket.resolvedAt ?? ticket.closedAt ?? null };
}
