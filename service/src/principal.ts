import type { Role } from './schemas.ts';

/** How the caller proved who it is. */
export type CredentialKind = 'session' | 'api_token' | 'admin_token';

interface PrincipalBase {
  via: CredentialKind;
  /** The api token's or the session's id; null for the configured admin token. */
  tokenId: string | null;
  /** The person behind a session; null for machine tokens. */
  userId: string | null;
  /** When a session ends; null for tokens. */
  expiresAt: number | null;
}

/**
 * Who is calling: what every authorisation decision is made from. A customer principal always names
 * its customer and a technician principal its technician, so code that scopes by them never meets
 * one who could see everyone.
 */
export type Principal = PrincipalBase &
  (
    | { role: 'customer'; customerId: string; technicianId: null }
    | { role: 'technician'; technicianId: string; customerId: null }
    | { role: 'admin' | 'planner'; customerId: null; technicianId: null }
  );

/** The customer a principal is confined to, or undefined when it may see every customer. */
export function customerScope(principal: Principal): string | undefined {
  return principal.role === 'customer' ? principal.customerId : undefined;
}

/** The technician whose jobs a principal is confined to, or undefined when it is not a technician. */
export function technicianScope(principal: Principal): string | undefined {
  return principal.role === 'technician' ? principal.technicianId : undefined;
}

/** Builds the principal for a role and its scope ids; null when the role's scope id is missing. */
export function principalFor(
  role: Role,
  scope: { customerId: string | null; technicianId: string | null },
  base: PrincipalBase,
): Principal | null {
  switch (role) {
    case 'customer':
      return scope.customerId === null
        ? null
        : { ...base, role, customerId: scope.customerId, technicianId: null };
    case 'technician':
      return scope.technicianId === null
        ? null
        : { ...base, role, technicianId: scope.technicianId, customerId: null };
    default:
      return { ...base, role, customerId: null, technicianId: null };
  }
}

/** Who made a change, as the audit log records it. */
export interface Actor {
  /** `user:<id>`, `token:<id>`, `admin` or `system:<part>`. */
  id: string;
  role: Role | 'system';
  customerId: string | null;
  technicianId: string | null;
}

export function actorOf(principal: Principal): Actor {
  const id =
    principal.userId !== null
      ? `user:${principal.userId}`
      : principal.tokenId !== null
        ? `token:${principal.tokenId}`
        : 'admin';
  return {
    id,
    role: principal.role,
    customerId: principal.customerId,
    technicianId: principal.technicianId,
  };
}

/** The platform acting by itself: the automation, the scheduler, the fix verifier. */
export function systemActor(part: string): Actor {
  return { id: `system:${part}`, role: 'system', customerId: null, technicianId: null };
}

/** "an admin", "a planner": a role as a sentence names it in a refusal. */
export function aRole(role: string): string {
  return `${/^[aeiou]/i.test(role) ? 'an' : 'a'} ${role}`;
}
