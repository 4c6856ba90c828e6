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

/** Statuses after the work on site is over: the ticket no longer races its SLA. */
export const finishedTicketStatuses: readonly string[] = [
  'resolved',
  'verified',
  'flagged_for_review',
  'closed',
  'cancelled',
];
