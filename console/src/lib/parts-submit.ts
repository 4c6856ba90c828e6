import type { SubmitFunction } from '@sveltejs/kit';
import { invalidateAll } from '$app/navigation';
import { submitForm } from './form-submit.ts';

/**
 * The submit function of a row's form on the parts page. A failed request is answered at the row
 * (`key`), as the action's own refusals are. A refusal because the row changed meanwhile (409: the
 * transfer arrived elsewhere, the unit was already received) reloads the lists, since SvelteKit
 * reloads a page's data only after a success: the row then goes, and the page says why at the top.
 * A 404 (the row's record is gone) reloads them too.
 */
export function submitPartsRow(options: {
  form: 'return' | 'transfer';
  key: string;
  busy: (key: string | null) => void;
  kept?: string;
}): SubmitFunction {
  const { form, key, busy, kept } = options;
  return submitForm({
    ...(kept ? { kept, reset: false } : {}),
    failureData: (message) => ({ form, key, ok: false, message }),
    busy: (on) => busy(on ? key : null),
    answered: async (answer, update) => {
      await update();
      if (answer.type === 'failure' && (answer.status === 409 || answer.status === 404))
        await invalidateAll();
    },
  });
}
