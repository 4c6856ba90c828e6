import type { Principal } from '../principal.ts';

/** A credential that no longer stands for what it stood for. */
export type CredentialRevocation =
  /** One login session ended (logout). */
  | { kind: 'session'; sessionId: string }
  /** Every session of an account: it was disabled, its password changed, or it now acts for another technician. */
  | { kind: 'user'; userId: string }
  | { kind: 'api_token'; tokenId: string };

export type RevocationListener = (revocation: CredentialRevocation) => void;

/**
 * Announces revocations in-process as soon as the database has recorded them. A request is checked
 * afresh each time, but a long-lived connection (the event stream) was authorised once, when it opened,
 * and must be told. Every listener runs even when one throws; the first error is rethrown afterwards
 * so that it is logged, not swallowed.
 */
export class CredentialRevocations {
  private readonly listeners = new Set<RevocationListener>();

  subscribe(listener: RevocationListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  publish(revocation: CredentialRevocation): void {
    const errors: unknown[] = [];
    for (const listener of this.listeners) {
      try {
        listener(revocation);
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw errors[0];
  }
}

/** Whether a revocation takes away what `principal` was granted. */
export function revokes(revocation: CredentialRevocation, principal: Principal): boolean {
  switch (revocation.kind) {
    case 'session':
      return principal.via === 'session' && principal.tokenId === revocation.sessionId;
    case 'user':
      return principal.via === 'session' && principal.userId === revocation.userId;
    case 'api_token':
      return principal.via === 'api_token' && principal.tokenId === revocation.tokenId;
  }
}

/**
 * Whether checking the same credential again (`current`) still grants what was granted: the same
 * credential, role and scope. A narrowed or moved scope counts as revoked, so a stream opened for one
 * technician does not go on showing its jobs once the account acts for another.
 */
export function stillGrants(granted: Principal, current: Principal | null): boolean {
  return (
    current !== null &&
    current.via === granted.via &&
    current.tokenId === granted.tokenId &&
    current.userId === granted.userId &&
    current.role === granted.role &&
    current.customerId === granted.customerId &&
    current.technicianId === granted.technicianId
  );
}
