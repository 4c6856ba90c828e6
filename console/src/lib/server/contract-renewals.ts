import { contractSchema, recordIdSchema, renewalStatuses, renewalStatusWords } from '@aftercare/core';
import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { formatDate } from '../format.ts';
import type { ApiClient } from './api.ts';
import { ApiError } from './api-error.ts';
import { perform } from './ticket-actions.ts';

/** What the AMC page's renewal buttons ask for: a step of the renewal, or the renewal itself. */
const renewalForm = z.object({
  contractId: recordIdSchema,
  step: z.enum(['offered', 'declined', 'renew']),
  /** The status the page showed: the API refuses the step when another came first. */
  status: z.enum(renewalStatuses),
});

const stepWords = {
  offered: (who: string) => `Marked offered: ${who} has the renewal offer.`,
  declined: (who: string) =>
    `Marked declined: ${who}'s contract ends on its date and is no longer listed for renewal.`,
} as const;

/**
 * A renewal moved on from the AMC page: the offer sent, the customer's no, or the renewal itself (a
 * new contract for the same devices on the same plan and term, from the day the old one ends).
 */
export async function renewalStep(api: ApiClient, data: FormData) {
  const parsed = renewalForm.safeParse({
    contractId: data.get('contractId'),
    step: data.get('step'),
    status: data.get('status'),
  });
  if (!parsed.success)
    return fail(400, {
      form: 'renewal',
      ok: false,
      message: 'That renewal step is not one the page offers.',
    });
  const { contractId, step, status } = parsed.data;
  // The name the page showed, for the message only: the API is told the contract's id.
  const who = String(data.get('who') ?? '').slice(0, 120) || 'the customer';
  const path = `/api/contracts/${encodeURIComponent(contractId)}`;
  const outcome = await perform('renewal', async () => {
    try {
      if (step === 'renew') {
        const renewed = await api.request(`${path}/renewals`, contractSchema, {
          method: 'POST',
          body: { expectedStatus: status },
        });
        return `Renewed: ${who}'s new contract runs from ${formatDate(renewed.startsAt)} to ${formatDate(renewed.endsAt)}; its visits are planned from its start.`;
      }
      await api.request(`${path}/renewal`, contractSchema, {
        method: 'PATCH',
        body: { renewalStatus: step, expectedStatus: status },
      });
      return stepWords[step](who);
    } catch (err) {
      // Another tab or planner moved the renewal on since this page was loaded: say where it stands.
      if (!(err instanceof ApiError) || err.status !== 409) throw err;
      const now = await api.get(path, contractSchema);
      if (now.renewalStatus === status) throw err;
      return {
        refused: `Not changed: ${who}'s renewal was marked ${renewalStatusWords[now.renewalStatus]} meanwhile. The list now shows it as it is.`,
      };
    }
  });
  if ('status' in outcome && outcome.status === 404)
    return fail(404, { form: 'renewal', ok: false, message: 'This contract is no longer there.' });
  return outcome;
}
