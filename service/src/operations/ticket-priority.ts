import type { Ticket, TicketPriority } from '@aftercare/core';
import type { ServiceDatabase } from '../db/database.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { Actor } from '../principal.ts';
import { rankOfTicketPriority } from '../repositories/predictive-ticket-repository.ts';
import { activeStatuses } from '../tickets/ticket-lifecycle.ts';
import { toTicket } from '../tickets/ticket-rows.ts';
import { applyTicketChange, loadTicket } from '../tickets/ticket-writes.ts';

/**
 * Raises a ticket's priority and tightens its SLA to match, through the tickets' single writer (one
 * transaction: the new state and its audit entry, announced once committed). Only ever raises: a
 * ticket already as urgent, or whose work on site is done or called off, is left alone and null is answered, so
 * raising twice changes nothing the second time.
 *
 * TicketRepository has no priority change of its own yet; once it has, this belongs there.
 */
export async function raiseTicketPriority(
  db: ServiceDatabase,
  events: EventBus,
  ticketId: string,
  change: { priority: TicketPriority; slaDueAt: number; reason: string },
  actor: Actor,
  now: number,
): Promise<Ticket | null> {
  const result = await db.transaction().execute(async (trx) => {
    const current = await loadTicket(trx, ticketId);
    if (!activeStatuses.includes(current.status)) return null;
    if (rankOfTicketPriority[current.priority] <= rankOfTicketPriority[change.priority]) return null;
    return applyTicketChange(
      trx,
      current,
      {
        action: 'priority_raised',
        reason: change.reason,
        set: { priority: change.priority, sla_due_at: Math.min(current.sla_due_at, change.slaDueAt) },
        data: {
          from: current.priority,
          to: change.priority,
          slaDueAt: Math.min(current.sla_due_at, change.slaDueAt),
        },
      },
      actor,
      now,
    );
  });
  if (result === null) return null;
  events.publish(result.event);
  return toTicket(result.row);
}
