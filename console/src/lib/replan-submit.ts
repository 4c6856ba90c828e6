import type { DispatchReplan } from '@aftercare/core';
import type { SubmitFunction } from '@sveltejs/kit';
import { submitForm } from './form-submit.ts';

/**
 * The submit of a re-plan form (a technician out, a job running late): a proposal shows its outcome,
 * an applied one reloads the board too; a refusal is said where the form is.
 */
export function replanSubmitter(
  apply: boolean,
  to: {
    busy: (on: boolean) => void;
    result: (replan: DispatchReplan | null) => void;
    refused: (message: string | null) => void;
  },
): SubmitFunction {
  return submitForm({
    busy: (on) => {
      to.busy(on);
      if (on) to.refused(null);
    },
    answered: async (answer, update) => {
      if (answer.type === 'success') {
        to.result((answer.data?.replan as DispatchReplan) ?? null);
        if (apply) await update();
      } else if (answer.type === 'failure')
        to.refused(String(answer.data?.message ?? 'The service refused the re-plan.'));
    },
  });
}

/** A job's title on the board, by its ticket; the id when the board no longer shows it. */
export function boardTitle(board: { rows: { jobs: { ticketId: string; title: string }[] }[] }) {
  return (ticketId: string) =>
    board.rows.flatMap((r) => r.jobs).find((j) => j.ticketId === ticketId)?.title ?? ticketId;
}
