import { redirect } from '@sveltejs/kit';
import { logout, sessionCookie } from '$lib/server/session.ts';
import type { Actions, PageServerLoad } from './$types';

/** Signing out is a POST (a link prefetch must not end a session); a GET only goes home. */
export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
  default: async ({ cookies, locals }) => {
    if (locals.token) await logout(locals.token).catch(() => undefined);
    cookies.delete(sessionCookie, { path: '/' });
    redirect(303, '/login');
  },
};
