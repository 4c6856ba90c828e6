import { customerScope, type Principal, technicianScope } from '../principal.ts';

/*
 * The owner a list is narrowed to: the one asked for, within what the caller may see; null when
 * nothing can match. A customer (or technician) naming someone else's id gets null, so an empty
 * list: the same answer an id that does not exist gets, so a list never tells whether another
 * customer exists. Its own list instead would pass off its records as the other's.
 */

function listed(scope: string | undefined, asked: string | undefined): string | undefined | null {
  if (scope === undefined) return asked;
  return asked === undefined || asked === scope ? scope : null;
}

export function listedCustomer(principal: Principal, asked: string | undefined): string | undefined | null {
  return listed(customerScope(principal), asked);
}

export function listedTechnician(principal: Principal, asked: string | undefined): string | undefined | null {
  return listed(technicianScope(principal), asked);
}
