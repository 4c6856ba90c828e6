import {
  type DeviceModel,
  type DeviceVisit,
  type FittedPart,
  partComponentLabel,
  type Ticket,
  type TicketStatus,
} from '@aftercare/core';

/** A status change of the ticket's audit log: what a visit is told from. */
export interface VisitStep {
  version: number;
  action: string;
  fromStatus: TicketStatus | null;
  toStatus: TicketStatus;
  reason: string | null;
}

/** The audit log's statuses a visit is told from; the repository reads only these. */
export const visitStepStatuses = [
  'on_site',
  'resolved',
  'verified',
  'closed',
] as const satisfies TicketStatus[];

/**
 * One worked ticket as its customer may read it (as `customerTicketView`): the reasons it is owed
 * (the resolution and the closing) and nothing of the office's side. A remote fix's reason is the
 * automation's working ("risk below p_close…"), so it says only that it was one.
 *
 * `steps` are the ticket's status changes in version order; `parts` its fitting records in the order
 * they were made; `at` when the work was done, as the history is ordered by.
 */
export function deviceVisit(input: {
  ticket: Ticket & { status: DeviceVisit['status'] };
  technicianName: string | null;
  at: number;
  steps: readonly VisitStep[];
  parts: readonly { sku: string; quantity: number; name?: string | null }[];
  model: DeviceModel;
}): DeviceVisit {
  const { ticket, steps } = input;
  // Part-used entries stay on site: only a change of status is an arrival, a resolution or a closing.
  const changes = steps.filter((s) => s.fromStatus !== s.toStatus);
  const resolution = changes.findLast((s) => s.toStatus === 'resolved');
  const closing = changes.findLast((s) => s.toStatus === 'closed');
  const remote = resolution?.action === 'resolved_remotely';
  // A job fixed remotely after someone had been (a part fitted, the fix flagged, then a reset) still
  // had its visits.
  const onSiteVisits = changes.filter((s) => s.toStatus === 'on_site').length;
  return {
    ticketId: ticket.id,
    kind: ticket.kind,
    status: ticket.status,
    at: input.at,
    appointment: ticket.appointment,
    resolvedAt: ticket.resolvedAt,
    closedAt: ticket.closedAt,
    technicianName: remote && onSiteVisits === 0 ? null : input.technicianName,
    onSiteVisits,
    remote,
    // Verified before a later resolution speaks of an earlier fix, not of this one.
    fixVerified: changes.some((s) => s.toStatus === 'verified' && s.version > (resolution?.version ?? 0)),
    resolution: remote ? null : (resolution?.reason ?? null),
    closingReason: closing?.reason ?? null,
    failureMode: ticket.kind === 'predictive' ? ticket.failureMode : null,
    reportedProblem: ticket.kind === 'corrective' ? ticket.description : null,
    coverage: ticket.coverage,
    contractId: ticket.contractId,
    parts: fittedParts(input.parts, input.model),
  };
}

/**
 * One entry per SKU, its units summed, in the order first fitted; named as the parts catalogue names
 * the part fitted (a 'Refrigerant recharge and leak repair kit', not the 'Refrigerant circuit' it
 * mends), else by the component it replaces, else by its SKU.
 */
function fittedParts(
  records: readonly { sku: string; quantity: number; name?: string | null }[],
  model: DeviceModel,
): FittedPart[] {
  const bySku = new Map<string, FittedPart>();
  for (const { sku, quantity, name } of records) {
    const part = bySku.get(sku);
    if (part) part.quantity += quantity;
    else bySku.set(sku, { sku, name: name ?? partComponentLabel(sku, model) ?? sku, quantity });
  }
  return [...bySku.values()];
}
