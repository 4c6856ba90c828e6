import type { ServiceEvent } from '@aftercare/core';
import type { Principal } from '../principal.ts';

/**
 * Whether a principal may see an event: planners and admins see everything, a customer sees what
 * concerns its own devices and tickets, a technician the changes to the jobs assigned to it.
 */
export function eventVisibleTo(principal: Principal, event: ServiceEvent): boolean {
  switch (principal.role) {
    case 'admin':
    case 'planner':
      return true;
    case 'customer':
      return event.customerId === principal.customerId;
    case 'technician':
      return event.type === 'ticket.changed' && event.technicianId === principal.technicianId;
  }
}
