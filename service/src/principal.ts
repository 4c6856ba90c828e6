import type { Role } from './schemas.ts';

/**
 * Who is calling: what every authorisation decision is made from. A customer principal always names
 * its customer, so code that scopes by customer never meets a customer who could see everyone.
 */
export type Principal =
  | { role: 'customer'; customerId: string; tokenId: string | null }
  | { role: Exclude<Role, 'customer'>; customerId: null; tokenId: string | null };

/** The customer a principal is confined to, or undefined when it may see every customer. */
export function customerScope(principal: Principal): string | undefined {
  return principal.role === 'customer' ? principal.customerId : undefined;
}
