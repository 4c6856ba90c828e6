import type { SessionUser } from './session.ts';

/*
 * Who a token belongs to, asked of the service at most every few seconds per token: every page and
 * data request passes through hooks.server.ts, and a planner's page load makes several of them.
 * Bounded, so a flood of made-up cookies cannot grow it. Its own module, so that the API client can
 * forget a token the service refused without importing the session code that uses the client.
 */
export const cacheTtlMs = 10_000;
export const sessionUsersMax = 1_000;
export const sessionUsers = new Map<string, { user: SessionUser; until: number }>();

/**
 * Asks the service again next time. The API client calls it when the service answers 401: the session
 * ended behind the console's back (logout elsewhere, the account disabled, its password changed), and
 * a remembered answer would send the browser from the login page straight back to a page that fails.
 */
export function forgetSessionUser(token: string): void {
  sessionUsers.delete(token);
}
