import { type Contract, type Logger, type Ticket, ValidationError } from '@aftercare/core';
import { amcBookFrom, amcTicketMinutes } from '../automation/amc-schedule.ts';
import {
  type FillCandidate,
  fillDay,
  laterWorkingDayLeft,
  ROUTE_FILL_HOUR,
  ROUTE_FILL_LATE_DAYS,
  teamHours,
} from '../automation/route-fill.ts';
import { DAY_MS, localDayStart, MINUTE_MS, type TimeWindow } from '../automation/work.ts';
import { InvalidTransitionError, StaleVersionError } from '../errors.ts';
import { systemActor } from '../principal.ts';
import { rankOfTicketPriority } from '../repositories/predictive-ticket-repository.ts';
import type { ServiceRepositories } from '../repositories/service-repositories.ts';
import { type SiteGroup, siteGroupsOf, visitsOf } from './amc-contract-sites.ts';
import { type CronJob, createCronJob } from './cron-job.ts';
import { planningZone } from './dispatch-day.ts';
import { bookedJobs, type DispatchOptions, dispatchTicket } from './dispatch-ticket.ts';
import { utcOffsetMinutes } from './local-time.ts';
import { collectPages, PlanningData, page, planningTechnician } from './planning-data.ts';

export const defaultRouteFillCron = `0 ${ROUTE_FILL_HOUR} * * *`;

export interface AmcRouteFillOptions {
  repositories: ServiceRepositories;
  /** node-cron expression. Default every evening at 19:00, for the next day. */
  cron?: string;
  /** Zone the cron expression is read in; the process's when left out. */
  cronTimezone?: string;
  logger: Logger;
  clock?: () => number;
  dispatch?: DispatchOptions;
}

export interface AmcRouteFillReport {
  at: number;
  /** Local midnight of the day filled (tomorrow; today for a run while today can still take a visit). */
  day: number;
  /** AMC visit tickets waiting for a place. */
  waiting: number;
  /** Given the day because a technician passes close by. */
  filled: number;
  /** Given the day because it was the last working day of their window. */
  lastChance: number;
  /** Their window closed without a place: dispatched on the first day that can take them, late. */
  late: number;
  /** Due on the day but nobody could take them there or later (tried again tomorrow evening). */
  unassigned: number;
}

export type AmcRouteFill = CronJob<AmcRouteFillReport>;

/** A waiting visit ticket with what placing it needs. */
interface HeldVisit {
  ticket: Ticket;
  group: SiteGroup;
  /** The contract's window for the visit (its ticket's SLA is the window's end). */
  window: TimeWindow;
  durationMinutes: number;
}

/**
 * The AMC route fill: every evening (19:00 by default) the AMC visit tickets waiting for a day are
 * fitted into tomorrow's routes (`fillDay`; a run while today can still take a visit, such as a start
 * in the morning, fills today): a visit goes when a technician of the partner servicing
 * its site works close by anyway, or on the last working day its window leaves, whatever it costs then.
 * A visit whose window closed without a place is dispatched on the first day that can take it, late.
 * Customers hear the evening before (the platform's notice is `MIN_NOTICE_HOURS`). A run repeated on the
 * same evening places nothing twice: placed visits have a technician and are no longer waiting.
 */
export function createAmcRouteFill(options: AmcRouteFillOptions): AmcRouteFill {
  const repos = options.repositories;
  const clock = options.clock ?? Date.now;
  const log = options.logger.child({ component: 'amc-route-fill' });
  const actor = systemActor('amc-route-fill');

  async function run(now: number): Promise<AmcRouteFillReport> {
    const data = new PlanningData(repos);
    const technicians = await data.technicians();
    const zone = planningZone(technicians);
    const nowOffset = utcOffsetMinutes(zone, now);
    // The evening run fills tomorrow; a run while a visit still fits today after the customer's notice
    // (a start in the morning) fills today, so a visit whose last working day is today goes today.
    const today = localDayStart(now, nowOffset);
    const todayHours = teamHours(
      technicians.map((t) => planningTechnician(t, today, utcOffsetMinutes(zone, today + DAY_MS / 2))),
    );
    const earliest = amcBookFrom(now, nowOffset, todayHours?.endMinute ?? 0);
    const day = Math.max(today, localDayStart(earliest, utcOffsetMinutes(zone, earliest)));
    const offset = utcOffsetMinutes(zone, day + DAY_MS / 2);
    const report: AmcRouteFillReport = {
      at: now,
      day,
      waiting: 0,
      filled: 0,
      lastChance: 0,
      late: 0,
      unassigned: 0,
    };
    const held = await heldVisits(data);
    report.waiting = held.length;
    if (held.length === 0) return report;

    const team = technicians.map((t) => planningTechnician(t, day, offset));
    const booked = await bookedJobs(data, team, day, '');
    const routes = team.map((t) => booked.get(t.id) ?? []);
    const partnerTeam = (partnerId: string) =>
      new Set(technicians.filter((t) => t.partnerId === partnerId).map((t) => t.id));
    const worksOn = (partnerId: string) => (d: number) =>
      teamHours(
        technicians
          .filter((t) => t.partnerId === partnerId)
          .map((t) => planningTechnician(t, d, utcOffsetMinutes(zone, d + DAY_MS / 2))),
      );

    const candidates: (FillCandidate & { visit: HeldVisit })[] = [];
    const overdue: HeldVisit[] = [];
    for (const visit of held) {
      const within = { start: Math.max(visit.window.start, earliest), end: visit.window.end };
      const onDay = { start: Math.max(within.start, day), end: Math.min(within.end, day + DAY_MS) };
      if (within.end <= day) {
        overdue.push(visit);
        continue;
      }
      if (onDay.end <= onDay.start) continue;
      const partnerId = visit.group.schedule.partnerId;
      candidates.push({
        id: visit.ticket.id,
        visit,
        job: {
          id: visit.ticket.id,
          position: visit.group.position,
          skill: 'general_service',
          certificationRequired: false,
          durationMinutes: visit.durationMinutes,
          slaDueAt: visit.ticket.slaDueAt,
          window: onDay,
          priority: rankOfTicketPriority[visit.ticket.priority],
        },
        technicianIds: partnerTeam(partnerId),
        lastChance: !laterWorkingDayLeft(day, within, visit.durationMinutes, worksOn(partnerId)),
      });
    }

    const placements = fillDay(day, team, routes, candidates);
    for (const placement of placements) {
      const { visit } = candidates.find((c) => c.id === placement.id)!;
      const { insertion } = placement;
      const reason = placement.lastChance
        ? `AMC route fill: the last working day of the visit's window (${insertion.marginalKm.toFixed(1)} km added to the day)`
        : `AMC route fill: ${insertion.marginalKm.toFixed(1)} km added to a day already in the area, against ${placement.ownTripKm.toFixed(1)} km for a trip of its own`;
      try {
        await repos.tickets.assign(
          visit.ticket.id,
          {
            // Refused if anyone touched the ticket since it was read (booked by hand, work folded in).
            expectedVersion: visit.ticket.version,
            technicianId: team[insertion.technician]!.id,
            appointment: {
              start: insertion.startAt,
              end: insertion.startAt + visit.durationMinutes * MINUTE_MS,
            },
            // The window it was free to go in, for whoever measures the choice (the backtest's replay).
            plannedWithin: {
              start: Math.max(visit.window.start, visit.ticket.createdAt),
              end: visit.window.end,
            },
            reason,
          },
          actor,
        );
        if (placement.lastChance) report.lastChance++;
        else report.filled++;
      } catch (err) {
        // Changed since it was read (cancelled, assigned by hand, work folded in): not waiting any more.
        if (!isChangedMeanwhile(err)) throw err;
      }
    }
    const placed = new Set(placements.map((p) => p.id));
    const stranded = candidates.filter((c) => c.lastChance && !placed.has(c.id)).map((c) => c.visit);
    for (const visit of [...stranded, ...overdue]) {
      const current = await repos.tickets.get(visit.ticket.id);
      if (current?.status !== 'open' || current.technicianId !== null) continue;
      const outcome = await dispatchTicket(
        data,
        {
          ticket: visit.ticket,
          position: visit.group.position,
          skill: 'general_service',
          certificationRequired: false,
          durationMinutes: visit.durationMinutes,
          priority: rankOfTicketPriority[visit.ticket.priority],
          window: {
            start: Math.max(day, earliest),
            end: Math.max(visit.window.end, day + ROUTE_FILL_LATE_DAYS * DAY_MS),
          },
          slaDueAt: visit.ticket.slaDueAt,
          partnerId: visit.group.schedule.partnerId,
        },
        actor,
        { ...options.dispatch, maxDays: ROUTE_FILL_LATE_DAYS + 1 },
      );
      if (outcome.kind === 'assigned') report.late++;
      else report.unassigned++;
    }
    return report;
  }

  return createCronJob({
    name: 'aftercare-amc-route-fill',
    label: 'AMC route fill',
    expression: options.cron ?? defaultRouteFillCron,
    example: defaultRouteFillCron,
    ...(options.cronTimezone ? { timezone: options.cronTimezone } : {}),
    clock,
    logger: log,
    run,
    summary: (report) => ({ ...report }),
    doneMessage: 'AMC visits fitted into the routes of the day filled',
  });
}

/** AMC visit tickets without a technician, each with its site, contract window and time on site. */
async function heldVisits(data: PlanningData): Promise<HeldVisit[]> {
  const repos = data.repositories;
  const open = await collectPages((offset) =>
    repos.tickets.list({ kind: 'amc_visit', status: ['open'], limit: page, offset }),
  );
  // Predictive work folded into a visit is dispatched with the predictive ticket's urgency, not held.
  const waiting = open.filter((t) => t.technicianId === null && t.failureMode === null);
  const contractIds = [...new Set(waiting.flatMap((t) => (t.contractId === null ? [] : [t.contractId])))];
  if (contractIds.length === 0) return [];
  // Only the waiting tickets' contracts, ended ones included: a visit whose window opened is owed.
  const contracts = await Promise.all(contractIds.map((id) => repos.contracts.get(id)));
  const groups = await siteGroupsOf(
    data,
    contracts.filter((c): c is Contract => c !== null),
  );
  const windows = new Map<string, TimeWindow>();
  for (const contractId of contractIds)
    for (const row of await visitsOf(repos, contractId))
      if (row.ticketId !== null) windows.set(row.ticketId, { start: row.dueFrom, end: row.dueTo });
  return waiting.flatMap((ticket) => {
    const group = groups.find(
      (g) => g.contract.id === ticket.contractId && g.deviceIds.includes(ticket.deviceId),
    );
    const window = windows.get(ticket.id);
    if (!group || !window) return [];
    return [{ ticket, group, window, durationMinutes: amcTicketMinutes(group.deviceIds.length) }];
  });
}

/** A ticket changed by someone else between the read and the write: skipped, not a failed run. */
function isChangedMeanwhile(err: unknown): boolean {
  return (
    err instanceof ValidationError ||
    err instanceof InvalidTransitionError ||
    err instanceof StaleVersionError
  );
}
