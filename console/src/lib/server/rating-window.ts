import { FEEDBACK_WINDOW_DAYS } from '@aftercare/core';

/**
 * A closed visit waits for the customer's rating until FEEDBACK_WINDOW_DAYS after it closed, as the
 * API takes ratings; after that it is history, and the page stops asking.
 */
export function waitsForRating(
  t: {
    status: string;
    rating: unknown;
    closedAt: number | null;
  },
  now: number,
): boolean {
  return (
    t.status === 'closed' &&
    t.rating === null &&
    t.closedAt !== null &&
    now - t.closedAt <= FEEDBACK_WINDOW_DAYS * 86_400_000
  );
}
