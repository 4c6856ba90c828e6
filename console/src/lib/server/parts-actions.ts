import { partReturnSchema, type Transfer, transferSchema } from '@aftercare/core';
import { type ActionFailure, fail } from '@sveltejs/kit';
import { type ApiClient, ApiError, ApiUnavailableError } from './api.ts';
import { formValues } from './form-schemas.ts';
import { log } from './log.ts';
import { redirectToLogin } from './login-redirect.ts';
import { readReturnForm, readTransferForm } from './parts-forms.ts';

/**
 * The parts page's form actions: a defective unit received back, a transfer arrived, a transfer
 * called back. Each answers `{ form, key, ok, message }`: `key` names the row the form was on, so
 * the page says what went wrong next to that row's button. What the API refused is said in the
 * planner's words, never as the API's codes and ids.
 */

export interface PartsAnswer {
  form: 'return' | 'transfer';
  /** The row: the fitting for a return, the transfer for the transfer forms. */
  key: string;
  ok: boolean;
  message: string;
}

type Outcome = PartsAnswer | ActionFailure<PartsAnswer>;

/** The API's refusal (4xx other than 401) in plain words; null to say the API's own message. */
type Refusal = (err: ApiError) => string | null;

async function attempt(
  row: Pick<PartsAnswer, 'form' | 'key'>,
  call: () => Promise<string>,
  refusal: Refusal,
): Promise<Outcome> {
  try {
    return { ...row, ok: true, message: await call() };
  } catch (err) {
    if (err instanceof ApiUnavailableError)
      return fail(503, {
        ...row,
        ok: false,
        message: 'The Aftercare service is not answering; nothing was recorded. Try again shortly.',
      });
    if (err instanceof ApiError && err.status === 401) redirectToLogin();
    if (err instanceof ApiError && err.status < 500) {
      const said = refusal(err) ?? `${err.sentence}.`;
      return fail(err.status, { ...row, ok: false, message: said });
    }
    log().error({ err, form: row.form }, 'parts action failed');
    return fail(500, {
      ...row,
      ok: false,
      message: 'Something went wrong on the console server; nothing was recorded.',
    });
  }
}

const notYours = 'Only planners and admins can do this here.';

/** POST /api/part-returns: the defective unit of a fitting is back. */
export async function receiveReturn(api: ApiClient, data: FormData): Promise<Outcome> {
  const key = formValues(data).key ?? '';
  const form = readReturnForm(data);
  if (!form.ok) return fail(400, { form: 'return' as const, key, ok: false, message: form.message });
  const body = form.data;
  return attempt(
    { form: 'return', key },
    async () => {
      const received = await api.request('/api/part-returns', partReturnSchema, { method: 'POST', body });
      return `Received: the defective ${received.sku}${received.serial ? ` (${received.serial})` : ''} is back and off the list.`;
    },
    (err) => {
      // The service says which unit came back, where and when (two planners, a double click).
      if (err.status === 409)
        return `${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}; it is off the list.`;
      if (err.field === 'serial')
        return `That is not the unit taken out on this job: ${err.said.replace(/^.* \((.*)\)$/, 'the serial recorded was $1')}.`;
      if (err.status === 403) return notYours;
      if (err.status === 404) return 'That job is not there any more.';
      if (err.field === 'sku') return `No ${body.sku} was fitted on that job, so none can come back for it.`;
      if (err.field === 'locationId')
        return 'That location is not there any more: choose where the part was received.';
      return null;
    },
  );
}

/** The transfer's refusals: one that is no longer on the road, or no longer there at all. */
const transferRefusal: Refusal = (err) => {
  if (err.status === 409)
    return 'This transfer is no longer on the road: it has already arrived or been called back. The list now shows what is.';
  if (err.status === 404) return 'This transfer is not there any more.';
  if (err.status === 403) return notYours;
  return null;
};

/** POST /api/transfers/:id/{step}, answered with what `said` makes of the transfer afterwards. */
async function settleTransfer(
  api: ApiClient,
  data: FormData,
  step: 'arrival' | 'cancellation',
  said: (transfer: Transfer) => string,
): Promise<Outcome> {
  const form = readTransferForm(data);
  const key = formValues(data).transferId ?? '';
  if (!form.ok) return fail(400, { form: 'transfer' as const, key, ok: false, message: form.message });
  const path = `/api/transfers/${encodeURIComponent(form.data.transferId)}/${step}`;
  return attempt(
    { form: 'transfer', key },
    async () => said(await api.request(path, transferSchema, { method: 'POST' })),
    transferRefusal,
  );
}

/** The units count at the destination and, for a job that still needs them, are held for it. */
export const transferArrived = (api: ApiClient, data: FormData) =>
  settleTransfer(api, data, 'arrival', (t) =>
    t.ticketId === null
      ? 'Arrived: the units now count at their destination.'
      : 'Arrived: the units now count at their destination, held for their job if it still needs them.',
  );

/** Called back: the units count at the place they left again. */
export const cancelTransfer = (api: ApiClient, data: FormData) =>
  settleTransfer(api, data, 'cancellation', (t) =>
    t.ticketId === null
      ? 'Called back: the units count at the place they left again.'
      : 'Called back: the units count at the place they left again. Its job has no part coming now: use “Find the part” on the ticket.',
  );
