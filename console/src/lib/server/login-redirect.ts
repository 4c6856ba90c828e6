import { redirect } from '@sveltejs/kit';
import { getRequestEvent } from '$app/server';

/**
 * Where a person without a valid session goes: the login page, told the page to come back to and,
 * when the browser still held a session the service no longer knows (signed out elsewhere, password
 * changed, expired), that it ended. The same whether the hook finds the session gone or an action's
 * or a load's API call is answered 401 within the few seconds a session stays cached.
 */
export function loginUrl(request: Request, url: URL, ended: boolean): string {
  const back = returnPathOf(request, url);
  const query = new URLSearchParams();
  if (back !== '/') query.set('redirectTo', back);
  if (ended) query.set('ended', '1');
  return `/login${query.size > 0 ? `?${query}` : ''}`;
}

/** To the login page from inside a load or an action whose API call was answered 401: the session ended. */
export function redirectToLogin(): never {
  const { request, url } = getRequestEvent();
  redirect(303, loginUrl(request, url, true));
}

/**
 * The page to come back to after signing in, without a form action in its query (`?/assign`). A
 * form's post is addressed to its action, which drops the page's own query, so for a post it is the
 * page the form was on, as the browser's Referer names it (this origin only), else the post's address.
 */
function returnPathOf(request: Request, url: URL): string {
  const page = (request.method === 'POST' && sameOrigin(request.headers.get('referer'), url.origin)) || url;
  const query = new URLSearchParams(page.search);
  for (const key of [...query.keys()]) if (key.startsWith('/')) query.delete(key);
  const rest = query.toString();
  return page.pathname + (rest ? `?${rest}` : '');
}

function sameOrigin(address: string | null, origin: string): URL | null {
  if (!address) return null;
  try {
    const url = new URL(address);
    return url.origin === origin ? url : null;
  } catch {
    return null;
  }
}
