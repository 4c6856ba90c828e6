import { failureMode as findFailureMode } from '@aftercare/core';
import { MIN_NOTICE_HOURS } from '../automation/risk-policy.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../automation/work.ts';
import { systemActor } from '../principal.ts';
import type { DemoHistoryFailure } from './demo-seed-history.ts';
import {
  type HistoryContext,
  historyActors,
  nextWorkingSlot,
  openPredictiveTicket,
  pickTechnician,
} from './demo-seed-history-jobs.ts';

/*
 * A failure of the demo history that the automation's remote fix cleared: written through the same
 * repositories and lifecycle steps as the live remote troubleshooting records them.
 */

/** The remote troubleshooting's actor, as the live automation records it. */
const remoteActor = systemActor('remote-troubleshooting');

/**
 * A failure a remote fix cleared, as the automation handles it: the predictive ticket with a visit
 * booked (at least the customer's notice ahead, in case the fix fails), the remote fix sent at once and
 * answered by the device, then the ticket resolved remotely and the technician freed when the
 * telemetry showed the fault cleared, and the fix verified. False when the visit would have come first.
 */
export async function remoteFixJob(ctx: HistoryContext, f: DemoHistoryFailure): Promise<boolean> {
  const remote = f.remote!;
  const device = ctx.devices.get(f.deviceId)!;
  const mode = findFailureMode(f.model, f.failureMode);
  const minutes = mode?.repairMinutes ?? 60;
  const technician = pickTechnician(ctx, device.position, mode?.skill ?? null, f.flaggedAt! + DAY_MS);
  // A fix whose readings never showed it within the days the history looks is left out: the live
  // automation would have waited for the risk, which the history does not score.
  if (!technician || remote.resolvedAt <= f.repairAt) return false;
  const visit = nextWorkingSlot(technician, f.flaggedAt! + MIN_NOTICE_HOURS * HOUR_MS, minutes);
  if (visit <= remote.resolvedAt) return false;
  ctx.clock.set(f.flaggedAt!);
  const pFail = ctx.rng.uniform(0.62, 0.95);
  const daysLeft = Math.max(0.5, (f.failedAt - f.flaggedAt!) / DAY_MS);
  const ticket = await openPredictiveTicket(ctx, { ...f, flaggedAt: f.flaggedAt! }, { pFail, daysLeft });
  await ctx.repos.tickets.assign(
    ticket.id,
    { technicianId: technician.id, appointment: { start: visit, end: visit + minutes * MINUTE_MS } },
    historyActors.planner,
  );
  ctx.clock.set(f.repairAt);
  const sent = await ctx.repos.commands.recordSent(ticket, { command: remote.command }, remoteActor);
  ctx.clock.set(f.repairAt + 3_000);
  await ctx.repos.commands.recordAnswer(
    f.deviceId,
    sent.id,
    { code: 'ok', message: remote.answer, at: f.repairAt + 3_000 },
    remoteActor,
  );
  ctx.clock.set(remote.resolvedAt);
  const resolved = await ctx.repos.commands.resolveRemotely(
    ticket.id,
    { reason: remote.reason, data: { commandId: sent.id, command: remote.command } },
    remoteActor,
  );
  if (!resolved) return false;
  // The fix verifier's verdict, as for a visit: the readings stayed back and the risk fell.
  ctx.clock.set(remote.resolvedAt + 2 * DAY_MS);
  await ctx.repos.tickets.transition(ticket.id, { to: 'verified' }, historyActors.verifier);
  ctx.clock.set(remote.resolvedAt + 3 * DAY_MS);
  await ctx.repos.tickets.transition(ticket.id, { to: 'closed' }, historyActors.verifier);
  return true;
}
