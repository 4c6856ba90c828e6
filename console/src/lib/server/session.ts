import { loginResponseSchema, meResponseSchema } from '@aftercare/core';
import type { Cookies } from '@sveltejs/kit';
import type { z } from 'zod';
import type { Role } from '../access.ts';
import { ApiClient, ApiError } from './api.ts';
import { sessionUsers as cache, cacheTtlMs, forgetSessionUser, sessionUsersMax } from './session-cache.ts';

/**
 * Login sessions. The service issues a session token at POST /api/auth/login; the console keeps it
 * in an httpOnly cookie (script in the page cannot read it) and sends it as the bearer token of every
 * API call it makes on the user's behalf. GET /api/auth/me says whom a token stands for.
 */

export const sessionCookie = 'aftercare_session';

export interface SessionUser {
  email: string;
  role: Role;
  name: string | null;
  customerId: string | null;
  technicianId: string | null;
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: SessionUser;
}

/** Signs in; `clientAddress` is the browser's, which the service counts failed attempts by. */
export async function login(email: string, password: string, clientAddress?: string): Promise<LoginResult> {
  const session = await new ApiClient(null).request('/api/auth/login', loginResponseSchema, {
    method: 'POST',
    body: { email, password },
    ...(clientAddress ? { forwardedFor: clientAddress } : {}),
  });
  return loginResult(session);
}

/**
 * Changes the password of the session's user. The service ends every session of the account, this
 * one included, and answers a new one, which replaces the cookie.
 */
export async function changePassword(
  token: string,
  currentPassword: string,
  newPassword: string,
): Promise<LoginResult> {
  const session = await new ApiClient(token).request('/api/auth/password', loginResponseSchema, {
    method: 'POST',
    body: { currentPassword, newPassword },
  });
  forgetSessionUser(token);
  return loginResult(session);
}

/** Keeps the session token where script in the page cannot read it. */
export function keepSession(cookies: Cookies, url: URL, session: LoginResult): void {
  cookies.set(sessionCookie, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: url.protocol === 'https:',
    expires: session.expiresAt,
  });
}

function loginResult(session: z.infer<typeof loginResponseSchema>): LoginResult {
  const { user } = session;
  return {
    token: session.token,
    expiresAt: new Date(session.expiresAt),
    user: {
      email: user.email,
      role: user.role,
      name: user.name,
      customerId: user.customerId,
      technicianId: user.technicianId,
    },
  };
}

/** Ends the session at the service too; a service without logout (404) or an expired token is fine. */
export async function logout(token: string): Promise<void> {
  cache.delete(token);
  try {
    await new ApiClient(token).raw('/api/auth/logout', { method: 'POST' });
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
  }
}

/** The user behind a session token, or null when the service no longer accepts it. */
export async function sessionUser(token: string, now = Date.now()): Promise<SessionUser | null> {
  const hit = cache.get(token);
  if (hit && hit.until > now) return hit.user;
  cache.delete(token);
  try {
    const me = await new ApiClient(token).get('/api/auth/me', meResponseSchema);
    const user: SessionUser = {
      email: me.user?.email ?? `${me.via.replace('_', ' ')}`,
      name: me.user?.name ?? null,
      role: me.role,
      customerId: me.customerId,
      technicianId: me.technicianId,
    };
    const until = Math.min(now + cacheTtlMs, me.expiresAt ?? Number.POSITIVE_INFINITY);
    if (cache.size >= sessionUsersMax) cache.delete(cache.keys().next().value!);
    cache.set(token, { user, until });
    return user;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return null;
    throw err;
  }
}
