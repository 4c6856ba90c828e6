import type { SessionUser } from '$lib/server/session.ts';

declare global {
  namespace App {
    interface Locals {
      /** The signed-in user, resolved from the session cookie by hooks.server.ts; null when anonymous. */
      user: SessionUser | null;
      /** The session's API token. Server-only: never returned from a load function. */
      token: string | null;
    }
    interface Error {
      message: string;
      /** Reference to the server log entry of an unexpected error. */
      errorId?: string;
    }
  }
}
