import { error } from '@sveltejs/kit';
import { ApiError, ApiUnavailableError } from './api.ts';
import { redirectToLogin } from './login-redirect.ts';

/**
 * Turns what the API said into what the page says, so every load function fails the same way:
 * the service down → 503 with the reason; the session gone → back to login; a record that is not
 * there, or not this user's (the API answers 404 for both) → 404 naming it. Anything else is
 * unexpected and goes on to handleError and the log.
 */
export function rethrowForPage(err: unknown, notFound?: string): never {
  if (err instanceof ApiUnavailableError)
    error(503, `The Aftercare service is not answering: ${err.message}.`);
  if (err instanceof ApiError) {
    if (err.status === 401) redirectToLogin();
    if (err.status === 404 && notFound) error(404, notFound);
    if (err.status === 403) error(403, `You may not see this: ${err.message}`);
    if (err.status === 503) error(503, `The service cannot answer right now: ${err.message}`);
  }
  throw err;
}
