import { type DeviceModel, failureMode, type Logger, type Ticket } from '@aftercare/core';
import { type RequiredWork, requiredWork } from '../automation/risk-policy.ts';
import { DAY_MS, HOUR_MS, type TimeWindow } from '../automation/work.ts';
import { systemActor } from '../principal.ts';
import type { ServiceRepositories } from '../repositories/service-repositories.ts';
import { type CronJob, createCronJob } from './cron-job.ts';
import type { DispatchOptions } from './dispatch-ticket.ts';
import { PlanningData } from './planning-data.ts';
import {
  DispatchThrottle,
  ensureTicketWork,
  type TicketWorkContext,
  type TicketWorkReport,
} from './ticket-work.ts';

/** How long a customer's call takes to reach a technician's day: the earliest a visit is booked. */
export const CORRECTIVE_NOTICE_MS = HOUR_MS;
/**
 * Days ahead a reported problem may be booked into. The dispatch takes a day that meets the SLA when
 * one can; past it, the first day that can take the visit, so a call at night or before a holiday is
 * booked at once, late, rather than left with nobody until the morning.
 */
export const CORRECTIVE_PLAN_AHEAD_DAYS = 6;
/** A visit to find out what is wrong, when the report names no failure mode: any technician's skill. */
export const DIAGNOSIS_MINUTES = 90;

export const correctiveDispatchActor = systemActor('corrective-dispatch');
export const defaultCorrectiveDispatchCron = '* * * * *';

/** The window a problem reported at `calledAt` is booked in. */
export function correctiveWindow(calledAt: number): TimeWindow {
  return { start: calledAt + CORRECTIVE_NOTICE_MS, end: calledAt + CORRECTIVE_PLAN_AHEAD_DAYS * DAY_MS };
}

/**
 * What the visit needs: the failure mode's skill, part and time when the report names one (the
 * knowledge base's), else a diagnosis visit by whoever the ticket asks for.
 */
export function correctiveWork(ticket: Ticket, model: DeviceModel): RequiredWork {
  if (ticket.failureMode && failureMode(model, ticket.failureMode))
    return requiredWork({ deviceId: ticket.deviceId, model, failureMode: ticket.failureMode });
  return {
    deviceId: ticket.deviceId,
    model,
    component: ticket.component ?? 'unknown',
    failureMode: 'unknown',
    label: 'Reported problem',
    skill: ticket.requiredSkill ?? 'general_service',
    certificationRequired: false,
    partSku: null,
    repairMinutes: DIAGNOSIS_MINUTES,
    remoteFirst: null,
  };
}

/**
 * Books a reported problem (a corrective ticket still open) as the risk automation books predictive
 * work: a qualified technician inside the SLA where one can, the part on its way, the remote fix offered
 * first. Anything else (another kind, already held, a device the service does not know) is left alone.
 */
export async function planCorrectiveTicket(
  ctx: TicketWorkContext,
  ticket: Ticket,
  calledAt: number = ctx.now,
): Promise<TicketWorkReport | null> {
  if (ticket.kind !== 'corrective' || ticket.status !== 'open' || ticket.technicianId !== null) return null;
  const device = await ctx.data.repositories.devices.get(ticket.deviceId);
  if (!device) return null;
  return ensureTicketWork(ctx, ticket, correctiveWork(ticket, device.model), correctiveWindow(calledAt));
}

export interface CorrectiveDispatchReport {
  at: number;
  /** Open corrective tickets without a technician when the run began. */
  waiting: number;
  assigned: number;
  /** Tried and still without a technician (tried again within the hour at the latest). */
  unassigned: number;
  /** Tried too recently to try again yet. */
  notTried: number;
}

export interface CorrectiveDispatchOptions {
  repositories: ServiceRepositories;
  logger: Logger;
  /** node-cron expression. Default every minute, so a reported problem is booked within one. */
  cron?: string;
  cronTimezone?: string;
  clock?: () => number;
  dispatch?: DispatchOptions;
}

export type CorrectiveDispatch = CronJob<CorrectiveDispatchReport>;

/**
 * Books the problems customers and planners report: every minute, each open corrective ticket without a
 * technician is planned (`planCorrectiveTicket`); one that found nobody is tried again at most hourly,
 * since the answer changes only when the network's days do.
 */
export function createCorrectiveDispatch(options: CorrectiveDispatchOptions): CorrectiveDispatch {
  const { repositories, logger } = options;
  const clock = options.clock ?? Date.now;
  const log = logger.child({ component: 'corrective-dispatch' });
  const throttle = new DispatchThrottle();

  async function run(now: number): Promise<CorrectiveDispatchReport> {
    const waiting = await repositories.tickets.openCorrectiveWithoutTechnician();
    const report: CorrectiveDispatchReport = {
      at: now,
      waiting: waiting.length,
      assigned: 0,
      unassigned: 0,
      notTried: 0,
    };
    const ctx: TicketWorkContext = {
      data: new PlanningData(repositories),
      now,
      actor: correctiveDispatchActor,
      logger: log,
      dispatch: options.dispatch ?? {},
      throttle,
    };
    for (const ticket of waiting) {
      // Asked before any read: a ticket tried within the hour costs the every-minute run nothing.
      if (!throttle.mayTry(ticket.id, now)) {
        report.notTried++;
        continue;
      }
      const outcome = await planCorrectiveTicket(ctx, ticket);
      if (outcome?.dispatch === 'assigned') report.assigned++;
      else if (outcome) report.unassigned++;
    }
    return report;
  }

  return createCronJob({
    name: 'aftercare-corrective-dispatch',
    label: 'corrective dispatch',
    expression: options.cron ?? defaultCorrectiveDispatchCron,
    example: defaultCorrectiveDispatchCron,
    ...(options.cronTimezone ? { timezone: options.cronTimezone } : {}),
    clock,
    logger: log,
    run,
    summary: (report) => ({ ...report }),
    idle: (report) => report.waiting === 0,
    doneMessage: 'reported problems booked',
  });
}
