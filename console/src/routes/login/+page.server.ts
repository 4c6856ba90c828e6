import { fail, redirect } from '@sveltejs/kit';
import { safeRedirectTarget } from '$lib/access.ts';
import { ApiError, ApiUnavailableError } from '$lib/server/api.ts';
import { loginForm, parseForm } from '$lib/server/form-schemas.ts';
import { log } from '$lib/server/log.ts';
import { keepSession, login } from '$lib/server/session.ts';
import { waitWords } from '$lib/wait-words.ts';
import type { Actions, PageServerLoad } from './$types';

/** The browser's address, when the adapter knows it (a page rendered without a socket does not). */
function clientAddressOf(getClientAddress: () => string): string | undefined {
  try {
    return getClientAddress();
  } catch {
    return undefined;
  }
}

export const load: PageServerLoad = ({ url }) => ({
  title: 'Sign in',
  redirectTo: url.searchParams.get('redirectTo') ?? '',
  /** Sent here because a session the browser still held had ended (signed out elsewhere, expired). */
  sessionEnded: url.searchParams.get('ended') === '1',
});

export const actions: Actions = {
  default: async ({ request, cookies, url, getClientAddress }) => {
    const form = parseForm(loginForm, await request.formData());
    if (!form.ok) return fail(400, { email: form.values.email?.trim() ?? '', message: form.message });
    const { email, password, redirectTo } = form.data;

    let session: Awaited<ReturnType<typeof login>>;
    try {
      session = await login(email, password, clientAddressOf(getClientAddress));
    } catch (err) {
      if (err instanceof ApiUnavailableError)
        return fail(503, { email, message: `Cannot reach the Aftercare service: ${err.message}.` });
      if (err instanceof ApiError) {
        if (err.status === 401 || err.status === 400)
          return fail(400, { email, message: 'That email address and password do not match an account.' });
        if (err.status === 429)
          return fail(429, {
            email,
            message: `Too many sign-in attempts. Try again in ${waitWords(err.retryAfterSeconds)}.`,
          });
        if (err.status === 404 && err.code === 'ROUTE_NOT_FOUND')
          return fail(503, {
            email,
            message: 'This service has no sign-in yet (POST /api/auth/login is missing).',
          });
      }
      throw err;
    }
    keepSession(cookies, url, session);
    log().info({ email: session.user.email, role: session.user.role }, 'signed in');
    redirect(303, safeRedirectTarget(redirectTo, session.user.role));
  },
};
