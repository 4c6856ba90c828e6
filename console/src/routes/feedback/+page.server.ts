import { apiFor } from '$lib/server/api.ts';
import { loadFeedbackDesk, resolveComplaint } from '$lib/server/feedback-desk.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import type { Actions, PageServerLoad } from './$types';

/** Customer feedback: open complaints to act on, what was done about the closed ones, what customers said. */
export const load: PageServerLoad = async ({ locals }) => {
  try {
    const desk = await loadFeedbackDesk(apiFor(locals));
    if (desk === null) return { title: 'Customer feedback', available: false as const };
    return { title: 'Customer feedback', available: true as const, ...desk };
  } catch (err) {
    rethrowForPage(err);
  }
};

export const actions: Actions = {
  resolve: async ({ locals, request }) => resolveComplaint(apiFor(locals), await request.formData()),
};
