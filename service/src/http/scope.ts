import type { Principal } from '../principal.ts';
import type { TicketScope } from '../repositories/ticket-repository.ts';

/** The tickets a principal may see: a customer its own, a technician the jobs assigned to it, the office all. */
export function ticketScopeOf(principal: Principal): TicketScope {
  if (principal.role === 'customer') return { customerId: principal.customerId };
  if (principal.role === 'technician') return { technicianId: principal.technicianId };
  return {};
}
