import { FEEDBACK_WINDOW_DAYS, type GiveFeedbackBody, type Logger } from '@aftercare/core';
import { DAY_MS } from '../automation/work.ts';
import { demoAccounts } from './demo-seed.ts';
import type { HistoryContext } from './demo-seed-history-jobs.ts';

/*
 * The customers' verdicts on the last weeks of the demo history, given once the history knows which
 * customer the demo customer account shows: that customer has not rated their latest visits yet, so a
 * new user signed in as them can rate one at once, inside the window the service takes ratings in.
 */

/**
 * Visits closed in the history's last this many days wait for the demo customer's rating: at least
 * the rest of the feedback window (FEEDBACK_WINDOW_DAYS) is left to give it.
 */
export const awaitingRatingDays = Math.floor(FEEDBACK_WINDOW_DAYS / 2);

/** A verdict the history drew for a recently closed visit, written (or not) once all jobs have run. */
export interface HeldFeedback {
  ticketId: string;
  customerId: string;
  /** When the customer gave it. */
  at: number;
  body: GiveFeedbackBody;
  /** When the complaint was resolved; null when it is none, or still open. */
  complaintResolvedAt: number | null;
  /** What the service desk did about it, when resolved. */
  complaintResolution: string | null;
}

/** The history's service desk, as the audit log names a part of the platform that acts. */
export const historyDesk = 'system:service-desk';

/** The recent visits the demo customer has still to rate, and whether the account moved to them. */
export interface AwaitingRating {
  customerId: string | null;
  /** Whether the demo customer account was linked to another customer to have them. */
  relinked: boolean;
  ticketIds: string[];
}

/**
 * Makes the demo customer account's customer one with visits closed in the last `awaitingRatingDays`
 * of the history (itself when it has some; else, as the demo world picks it, the one with the most
 * devices, preferring an AMC contract), and answers those visits: their verdicts are not given.
 * Nothing changes without the account, or when no customer's visit closed that recently.
 */
export async function leaveDemoCustomerToRate(ctx: HistoryContext, logger: Logger): Promise<AwaitingRating> {
  const account = await ctx.repos.users.findByEmail(demoAccounts.customer);
  const none = { customerId: account?.customerId ?? null, relinked: false, ticketIds: [] };
  if (account?.role !== 'customer') return none;
  const recent = await ctx.db
    .selectFrom('tickets')
    .select(['id', 'customer_id'])
    .where('status', '=', 'closed')
    .where('customer_id', 'is not', null)
    .where('closed_at', '>=', ctx.until - awaitingRatingDays * DAY_MS)
    .where('closed_at', '<=', ctx.until)
    .execute();
  const candidates = new Set(recent.map((t) => t.customer_id!));
  if (candidates.size === 0) {
    logger.warn(
      { days: awaitingRatingDays },
      'no visit closed recently: the demo customer has nothing to rate',
    );
    return none;
  }
  let customerId = account.customerId;
  if (customerId === null || !candidates.has(customerId)) {
    customerId = await mostDevices(ctx, candidates);
    const customer = await ctx.repos.customers.get(customerId);
    await ctx.repos.users.linkCustomer(account.id, customerId, customer?.name);
    logger.info(
      { from: account.customerId, to: customerId },
      'demo customer account linked to a customer with a recent visit to rate',
    );
  }
  return {
    customerId,
    relinked: customerId !== account.customerId,
    ticketIds: recent.filter((t) => t.customer_id === customerId).map((t) => t.id),
  };
}

/** The candidate with the most devices, preferring one with an AMC contract (as the demo world picks). */
async function mostDevices(ctx: HistoryContext, candidates: ReadonlySet<string>): Promise<string> {
  const owned = new Map<string, number>();
  for (const d of ctx.devices.values())
    if (d.customerId !== null && candidates.has(d.customerId))
      owned.set(d.customerId, (owned.get(d.customerId) ?? 0) + 1);
  const contracted = new Set(
    (await ctx.db.selectFrom('contracts').select('customer_id').execute()).map((c) => c.customer_id),
  );
  return [...candidates].sort(
    (a, b) =>
      (owned.get(b) ?? 0) - (owned.get(a) ?? 0) ||
      Number(contracted.has(b)) - Number(contracted.has(a)) ||
      a.localeCompare(b),
  )[0]!;
}

/** Writes the held verdicts in time order, except on the visits left for the demo customer to rate. */
export async function giveHeldFeedback(
  ctx: HistoryContext,
  held: readonly HeldFeedback[],
  unrated: ReadonlySet<string>,
): Promise<void> {
  for (const f of [...held].sort((a, b) => a.at - b.at)) {
    if (unrated.has(f.ticketId)) continue;
    ctx.clock.set(f.at);
    const given = await ctx.repos.feedback.give(f.ticketId, f.customerId, f.body);
    if (f.complaintResolvedAt !== null) {
      ctx.clock.set(f.complaintResolvedAt);
      await ctx.repos.feedback.resolveComplaint(
        given.id,
        f.complaintResolution ?? 'Called the customer back and settled it.',
        historyDesk,
      );
    }
  }
}
