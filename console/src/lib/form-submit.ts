import type { ActionResult, SubmitFunction } from '@sveltejs/kit';
import { applyAction } from '$app/forms';
import { page } from '$app/state';
import { keepDraft } from './form-drafts-dom.ts';

/**
 * What every `use:enhance` form of the console does with its answer. SvelteKit answers a request
 * that failed (no signal, the connection dropped, something in between answering nonsense) or an
 * action that threw with `{ type: 'error' }`, and its default is the error page: what the user typed
 * is gone, and so is the page. Here such a result becomes a failure of the form instead, shown where
 * the form shows the action's own refusals: the values stay in the form, the button comes back, and
 * the user tries again when they have signal. A redirect is always followed, whatever the form does
 * with its answers: it is how the server sends someone whose session has ended to sign in (and back
 * here after), and a form that handled it as one of its own answers would leave them on a page where
 * nothing happens; what they typed is kept and put back once they are signed in (`form-drafts.ts`).
 * Every other answer is handled as SvelteKit does.
 */

/**
 * An answer of the action, or a failed request turned into a failure: never `error`, and never
 * `redirect`, which is followed before a form sees it.
 */
export type FormAnswer = Exclude<ActionResult, { type: 'error' | 'redirect' }>;
type Update = (options?: { reset?: boolean; invalidateAll?: boolean }) => Promise<void>;

export interface FormSubmitOptions {
  /**
   * The form's name in the action's `{ form, ok, message }` answers, so that the page shows the
   * message of a failed request at this form.
   */
  form?: string;
  /** What the user does not lose, said in the message: "your note is kept". */
  kept?: string;
  /** Told `true` when the request goes out and `false` once its answer is handled. */
  busy?: (busy: boolean) => void;
  /** `false` keeps the form's values after a success too (SvelteKit resets the form by default). */
  reset?: boolean;
  /**
   * Handles the answer instead of SvelteKit's `update()`. A failed request arrives here as a
   * `failure` whose `data.message` says what happened, and `update` then shows it as the page's `form`.
   * A redirect never arrives here: it is followed.
   */
  answered?: (answer: FormAnswer, update: Update) => unknown;
  /** The page's `form` for a failed request, when the page reads something else than `{ form, ok, message }`. */
  failureData?: (message: string) => Record<string, unknown>;
}

/** The submit function for `use:enhance={submitForm({ … })}`. */
export function submitForm(options: FormSubmitOptions = {}): SubmitFunction {
  return ({ formElement }) => {
    options.busy?.(true);
    // Whose text it is, read now: the redirect's answer comes once the session is gone.
    const owner = (page.data.user as { email?: string } | null | undefined)?.email;
    return async ({ result, update }) => {
      try {
        if (result.type === 'redirect') {
          if (owner && result.location.startsWith('/login')) keepDraft(formElement, owner);
          await applyAction(result);
          return;
        }
        let answer: FormAnswer;
        let apply: Update;
        if (result.type === 'error') {
          const message = failedRequestMessage(result, options.kept);
          const data = options.failureData?.(message) ?? { form: options.form, ok: false, message };
          const failure = { type: 'failure', status: result.status ?? 503, data } as const;
          answer = failure;
          // Never SvelteKit's `update()` here: for an error it shows the error page.
          apply = () => applyAction(failure);
        } else {
          answer = result;
          apply = (opts) => update({ reset: options.reset, ...opts });
        }
        if (options.answered) await options.answered(answer, apply);
        else await apply();
      } finally {
        options.busy?.(false);
      }
    };
  };
}

/**
 * The message for a request that got no usable answer. Without a status, the browser got no answer
 * at all (it throws when offline or when the connection drops); with one, the console's server
 * answered with an error, whose message is written for the user (hooks.server.ts `handleError`).
 */
export function failedRequestMessage(result: { status?: number; error: unknown }, kept?: string): string {
  if (result.status === undefined)
    return `No connection — ${kept ? `${kept}; ` : ''}try again when you have signal.`;
  const said = (result.error as { message?: unknown } | null)?.message;
  const message = typeof said === 'string' && said ? said : 'Something went wrong on the console server.';
  return kept ? `${message} ${kept.charAt(0).toUpperCase()}${kept.slice(1)}.` : message;
}
