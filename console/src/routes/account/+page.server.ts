import { fail } from '@sveltejs/kit';
import { ApiError, ApiUnavailableError } from '$lib/server/api.ts';
import { changePasswordForm, parseForm } from '$lib/server/form-schemas.ts';
import { log } from '$lib/server/log.ts';
import { changePassword, keepSession } from '$lib/server/session.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({ title: 'Your account', account: locals.user });

export const actions: Actions = {
  default: async ({ request, cookies, url, locals }) => {
    const form = parseForm(changePasswordForm, await request.formData());
    if (!form.ok) return fail(400, { field: form.field, message: form.message });
    if (!locals.token) return fail(401, { field: '', message: 'Your session has ended: sign in again.' });
    try {
      const session = await changePassword(locals.token, form.data.currentPassword, form.data.newPassword);
      keepSession(cookies, url, session);
      log().info({ email: session.user.email }, 'password changed');
      return { changed: true };
    } catch (err) {
      if (err instanceof ApiUnavailableError)
        return fail(503, { field: '', message: `Cannot reach the Aftercare service: ${err.message}.` });
      if (err instanceof ApiError) {
        if (err.status === 400 && err.field === 'currentPassword')
          return fail(400, { field: 'currentPassword', message: 'Your current password is not correct.' });
        if (err.status === 400) return fail(400, { field: 'newPassword', message: err.sentence });
        if (err.status === 429)
          return fail(429, {
            field: 'currentPassword',
            message: 'Too many wrong passwords. Wait a few minutes, then try again.',
          });
        if (err.status === 403)
          return fail(403, { field: '', message: 'This sign-in has no password to change.' });
      }
      throw err;
    }
  },
};
