import { displayTimeZoneSetting } from '$lib/server/config.ts';
import type { LayoutServerLoad } from './$types';

/**
 * The signed-in user for the shell (name, email, role); the session token stays in locals. And the
 * time zone every page shows times in, so the browser formats as the server did.
 */
export const load: LayoutServerLoad = ({ locals }) => {
  const user = locals.user;
  return {
    user: user ? { email: user.email, name: user.name, role: user.role } : null,
    timeZone: displayTimeZoneSetting(),
  };
};
