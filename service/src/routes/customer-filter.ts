import { customerScope, type Principal } from '../principal.ts';

/**
 * The customer a list is narrowed to: the one asked for, within what the caller may see; null when
 * nothing can match. A customer naming another customer's id gets null, so an empty list: the same
 * answer an id that does not exist gets, so a list never tells whether another customer exists. Its
 * own list instead would pass off its data as the other customer's.
 */
export function listedCustomer(principal: Principal, asked: string | undefined): string | undefined | null {
  const scope = customerScope(principal);
  if (scope === undefined) return asked;
  return asked === undefined || asked === scope ? scope : null;
}
