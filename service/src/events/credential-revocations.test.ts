import { describe, expect, it } from 'vitest';
import type { Principal } from '../principal.ts';
import { CredentialRevocations, revokes, stillGrants } from './credential-revocations.ts';

const session: Principal = {
  via: 'session',
  tokenId: 'session-1',
  userId: 'user-1',
  expiresAt: 1,
  role: 'technician',
  technicianId: 'tech-1',
  customerId: null,
};
const apiToken: Principal = {
  via: 'api_token',
  tokenId: 'token-1',
  userId: null,
  expiresAt: null,
  role: 'planner',
  customerId: null,
  technicianId: null,
};
const admin: Principal = { ...apiToken, via: 'admin_token', tokenId: null, role: 'admin' };

describe('revokes', () => {
  it('takes a session away by its id, or with every session of its account', () => {
    expect(revokes({ kind: 'session', sessionId: 'session-1' }, session)).toBe(true);
    expect(revokes({ kind: 'session', sessionId: 'session-2' }, session)).toBe(false);
    expect(revokes({ kind: 'user', userId: 'user-1' }, session)).toBe(true);
    expect(revokes({ kind: 'user', userId: 'user-2' }, session)).toBe(false);
  });

  it('takes an API token away by its id only, and never the configured admin token', () => {
    expect(revokes({ kind: 'api_token', tokenId: 'token-1' }, apiToken)).toBe(true);
    // A session and a token never share an id space, even if two ids happened to be equal.
    expect(revokes({ kind: 'session', sessionId: 'token-1' }, apiToken)).toBe(false);
    expect(revokes({ kind: 'api_token', tokenId: 'session-1' }, session)).toBe(false);
    for (const revocation of [
      { kind: 'api_token', tokenId: 'token-1' },
      { kind: 'user', userId: 'user-1' },
    ] as const)
      expect(revokes(revocation, admin)).toBe(false);
  });
});

describe('stillGrants', () => {
  it('holds while the same credential grants the same role and scope', () => {
    expect(stillGrants(session, { ...session })).toBe(true);
    expect(stillGrants(admin, { ...admin })).toBe(true);
  });

  it('fails once the credential stands for no one, or for another scope', () => {
    expect(stillGrants(session, null)).toBe(false);
    expect(stillGrants(session, { ...session, technicianId: 'tech-2' })).toBe(false);
    expect(stillGrants(session, { ...session, tokenId: 'session-2' })).toBe(false);
    expect(stillGrants(apiToken, { ...apiToken, role: 'admin' })).toBe(false);
  });
});

describe('CredentialRevocations', () => {
  it('tells every listener until it unsubscribes, and rethrows a listener error only after all ran', () => {
    const revocations = new CredentialRevocations();
    const heard: string[] = [];
    const stop = revocations.subscribe(() => heard.push('a'));
    revocations.subscribe(() => {
      throw new Error('broken listener');
    });
    revocations.subscribe(() => heard.push('c'));
    expect(() => revocations.publish({ kind: 'user', userId: 'user-1' })).toThrow('broken listener');
    expect(heard).toEqual(['a', 'c']);
    stop();
    expect(() => revocations.publish({ kind: 'user', userId: 'user-1' })).toThrow('broken listener');
    expect(heard).toEqual(['a', 'c', 'c']);
  });
});
