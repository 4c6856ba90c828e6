import { randomUUID } from 'node:crypto';
import { error, type Handle, type HandleServerError, redirect, type ServerInit } from '@sveltejs/kit';
import { homeOf, isPublicPath, mayOpen, pageFor } from '$lib/access.ts';
import { setDisplayTimeZone } from '$lib/format.ts';
import { ApiContractError, ApiUnavailableError } from '$lib/server/api.ts';
import { displayTimeZoneSetting } from '$lib/server/config.ts';
import { log } from '$lib/server/log.ts';
import { loginUrl } from '$lib/server/login-redirect.ts';
import { sessionCookie, sessionUser } from '$lib/server/session.ts';

/** Once at start: dates and times formatted on the server (pages, messages) use the configured zone. */
export const init: ServerInit = () => {
  setDisplayTimeZone(displayTimeZoneSetting());
};

/**
 * Every console request passes here: the session cookie becomes `locals.user` (asked of the
 * service's GET /api/auth/me, cached briefly), anonymous visitors go to /login, and each role is
 * kept to its own pages (planners and admins: the planner pages; technicians: /tech; customers: /my).
 */
export const handle: Handle = async ({ event, resolve }) => {
  event.locals.user = null;
  event.locals.token = null;
  const token = event.cookies.get(sessionCookie);
  if (token) {
    const user = await sessionUser(token).catch((err: unknown) => {
      if (err instanceof ApiUnavailableError)
        error(
          503,
          `The Aftercare service is not answering, so your session cannot be checked: ${err.message}.`,
        );
      throw err;
    });
    if (user) {
      event.locals.user = user;
      event.locals.token = token;
    } else {
      event.cookies.delete(sessionCookie, { path: '/' });
    }
  }

  const { pathname } = event.url;
  const user = event.locals.user;
  if (isPublicPath(pathname)) {
    if (user && pathname === '/login') redirect(303, homeOf(user.role));
    return resolve(event);
  }
  if (!user) {
    // A page's live connection, left open across a sign-out: 204 tells EventSource to stop, where a
    // redirect to the login page would have it retry against HTML again and again.
    if (event.request.headers.get('accept')?.includes('text/event-stream'))
      return new Response(null, { status: 204 });
    // A page's own JSON request (not a form, not its data): a 401 it reads and shows.
    if (wantsJson(event.request) && !event.isDataRequest && !isFormPost(event.request))
      error(401, 'Your session has ended; sign in again.');
    // Anything else goes to sign in and back. A form's post too: with `use:enhance`, SvelteKit answers
    // this redirect as the ActionResult `{ type: 'redirect' }`, and the browser follows it.
    // The browser still held a session the service no longer knows: the login page says why it shows.
    redirect(303, loginUrl(event.request, event.url, token !== undefined));
  }
  if (!mayOpen(user.role, pathname)) redirect(303, pageFor(user.role, pathname));
  const response = await resolve(event);
  // A signed-in page holds someone's data: after signing out, Back must not show it from a cache.
  if (!response.headers.has('cache-control')) {
    try {
      response.headers.set('cache-control', 'private, no-store');
    } catch {
      // A response passed through from elsewhere may have headers that cannot change; it keeps its own.
    }
  }
  return response;
};

function wantsJson(request: Request): boolean {
  return (request.headers.get('accept') ?? '').startsWith('application/json');
}

/** A form's post sent by SvelteKit's `use:enhance`, which asks for JSON and marks itself so. */
function isFormPost(request: Request): boolean {
  return request.method === 'POST' && request.headers.get('x-sveltekit-action') === 'true';
}

/** Unexpected errors: logged with their stack, shown as a plain message with a reference. */
export const handleError: HandleServerError = ({ error: err, event, status, message }) => {
  if (err instanceof ApiUnavailableError) {
    log().warn({ path: event.url.pathname, api: err.baseUrl }, err.message);
    return {
      message: `The Aftercare service is not answering at the moment (${err.message}). Try again shortly.`,
    };
  }
  const errorId = randomUUID();
  if (status === 404) return { message };
  log().error({ err, errorId, path: event.url.pathname, status }, 'console request failed');
  if (err instanceof ApiContractError)
    return { message: 'The service answered in a form this console does not understand.', errorId };
  return { message: 'Something went wrong on the console server.', errorId };
};
