import type { AuditEntry, TicketDetail } from '@aftercare/core';

/**
 * The ticket as its customer reads it: what happened and when, who comes, what was fitted, and the
 * reasons the customer is owed (why it was resolved, closed or cancelled, and their own words). The
 * office's side stays with the office: technicians' and planners' notes, where parts were held and
 * sent, who exactly acted (user and token ids, the office's names), and the automation's working (route-fill distances,
 * re-planning reasons, audit data).
 */
export function customerTicketView(detail: TicketDetail): TicketDetail {
  return {
    ...detail,
    notes: [],
    reservations: [],
    transfers: [],
    audit: detail.audit.map(customerAuditEntry),
  };
}

/** Transitions whose reason is an answer to the customer. */
const toldToCustomer = new Set<AuditEntry['toStatus']>(['resolved', 'closed', 'cancelled']);

function customerAuditEntry(entry: AuditEntry): AuditEntry {
  const statusChange = entry.fromStatus !== entry.toStatus;
  const ownWords = entry.actorRole === 'customer';
  return {
    ...entry,
    actor: entry.actorRole,
    // The customer learns who came and sees its own name; the office's staff stay a role.
    actorName: ownWords || entry.actorRole === 'technician' ? (entry.actorName ?? null) : null,
    reason: ownWords || (statusChange && toldToCustomer.has(entry.toStatus)) ? entry.reason : null,
    data: null,
  };
}
