import { type Logger, ValidationError } from '@aftercare/core';
import { amcBookFrom, partnerAmcCapacity } from '../automation/amc-schedule.ts';
import {
  type FillCandidate,
  fillDay,
  laterWorkingDayLeft,
  ROUTE_FILL_HOUR,
  ROUTE_FILL_LATE_DAYS,
  releasedFromFill,
} from '../automation/route-fill.ts';
import { DAY_MS, localDayStart, MINUTE_MS } from '../automation/work.ts';
import { InvalidTransitionError, StaleVersionError } from '../errors.ts';
import { systemActor } from '../principal.ts';
import { rankOfTicketPriority } from '../repositories/predictive-ticket-repository.ts';
import type { ServiceRepositories } from '../repositories/service-repositories.ts';
import { type CronJob, createCronJob } from './cron-job.ts';
import { bookedJobs, type DispatchOptions, dispatchTicket } from './dispatch-ticket.ts';
import { utcOffsetMinutes } from './local-time.ts';
import { PlanningData, planningTechnician, planningZone } from './planning-data.ts';
import { type HeldWork, heldWork } from './route-fill-held-work.ts';
import { networkHours } from './route-fill-wait.ts';
import { DispatchThrottle, ensureTicketWork } from './ticket-work.ts';

export const defaultRouteFillCron = `0 ${ROUTE_FILL_HOUR} * * *`;

/** Who the route fill's assignments are recorded as, in the audit log. */
export const routeFillActor = systemActor('amc-route-fill');

/** Who books predictive work the fill released to the normal dispatch (`ROUTE_FILL_RELEASE_DAYS`). */
export const routeFillReleaseActor = systemActor('route-fill-release');

export interface AmcRouteFillOptions {
  repositories: ServiceRepositories;
  /** node-cron expression. Default every evening at 19:00, for the next day. */
  cron?: string;
  /** Zone the cron expression is read in; the process's when left out. */
  cronTimezone?: string;
  logger: Logger;
  clock?: () => number;
  dispatch?: DispatchOptions;
  /**
   * Also place the predictive work that is not urgent, which the risk automation leaves for the fill
   * when it runs with `routeFill` (`AFTERCARE_PREDICTIVE_ROUTE_FILL`). Default off: AMC visits only.
   */
  predictive?: boolean;
  /**
   * Share of a partner's technicians' capacity on a day that AMC visits may take, as the AMC scheduler
   * plans them (default 0.35): the fill places no more than that, so repairs keep the rest. A visit on
   * the last working day of its window goes all the same.
   */
  capacityShare?: number;
}

export interface AmcRouteFillReport {
  at: number;
  /** Local midnight of the day filled (tomorrow; today for a run while today can still take a visit). */
  day: number;
  /** Tickets waiting for a place: AMC visits and predictive work. */
  waiting: number;
  /** Given the day because a technician passes close by. */
  filled: number;
  /** Given the day because it was the last working day of their window. */
  lastChance: number;
  /** Their window closed without a place: dispatched on the first day that can take them, late. */
  late: number;
  /** Of those placed (filled, last chance or late), predictive work rather than AMC visits. */
  predictive: number;
  /**
   * Predictive work that waited `ROUTE_FILL_RELEASE_DAYS` without a day nearby, booked by the normal
   * dispatch instead (not counted in `predictive`).
   */
  released: number;
  /** Due on the day but nobody could take them there or later (tried again tomorrow evening). */
  unassigned: number;
}

export type AmcRouteFill = CronJob<AmcRouteFillReport>;

/**
 * The route fill: every evening (19:00 by default) the work waiting for a day is fitted into tomorrow's
 * routes (`fillDay`; a run while today can still take it, such as a start in the morning, fills today):
 * the AMC visit tickets the scheduler opened, which go to the partner servicing their site, and the
 * predictive tickets not urgent enough to be booked when they opened (P3, P4), which go to any qualified
 * technician and whose part then follows them.
 *
 * Work goes when a technician works close by anyway, or on the last working day its window leaves,
 * whatever it costs then; work whose window closed without a place is dispatched on the first day that
 * can take it, late. AMC visits take no more of a partner's day than its AMC share (`capacityShare`, as
 * the scheduler plans them). Predictive work no day nearby came up for within `ROUTE_FILL_RELEASE_DAYS`
 * is handed to the normal dispatch, which books it as any repair. Customers hear the evening before (the
 * platform's notice is `MIN_NOTICE_HOURS`). A run repeated on the same evening places nothing twice:
 * placed work has a technician and is no longer waiting.
 */
export function createAmcRouteFill(options: AmcRouteFillOptions): AmcRouteFill {
  const repos = options.repositories;
  const clock = options.clock ?? Date.now;
  const log = options.logger.child({ component: 'amc-route-fill' });
  const actor = routeFillActor;

  async function run(now: number): Promise<AmcRouteFillReport> {
    const data = new PlanningData(repos);
    const technicians = await data.technicians();
    const zone = planningZone(technicians);
    const nowOffset = utcOffsetMinutes(zone, now);
    // The evening run fills tomorrow; a run while a visit still fits today after the customer's notice
    // (a start in the morning) fills today, so a visit whose last working day is today goes today.
    const today = localDayStart(now, nowOffset);
    const todayHours = networkHours(technicians, zone)(today);
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
      predictive: 0,
      released: 0,
      unassigned: 0,
    };
    const held = await heldWork(data, options.predictive ?? false);
    report.waiting = held.length;
    if (held.length === 0) return report;

    // One read of the day's visits made: the capacity they used, and the AMC minutes they took.
    const made = await data.finishedWork(day, day + DAY_MS);
    const team = await data.teamOn(technicians, day, offset, made);
    // One read of the day's booked work: the routes to fill, and the AMC minutes already taken.
    const dayWork = await data.assignedWork(day, day + DAY_MS);
    const booked = await bookedJobs(data, team, day, '', dayWork);
    const routes = team.map((t) => booked.get(t.id) ?? []);
    const partnerTeam = (partnerId: string) =>
      new Set(technicians.filter((t) => t.partnerId === partnerId).map((t) => t.id));
    const worksOn = (partnerId: string | null) =>
      networkHours(
        partnerId === null ? technicians : technicians.filter((t) => t.partnerId === partnerId),
        zone,
      );
    // Once placed, predictive work's part follows its technician (reserved near them, or sent).
    const ctx = {
      data,
      now,
      actor,
      logger: log,
      dispatch: options.dispatch ?? {},
      throttle: new DispatchThrottle(),
    };

    // What is left of each partner's AMC share of the day (of its whole capacity) once its AMC visits
    // booked or already made that day are counted.
    const fullTeam = technicians.map((t) => planningTechnician(t, day, offset));
    const amcBudgets = new Map(
      partnerAmcCapacity(fullTeam, options.capacityShare).map((c) => [c.partnerId, c.amcMinutesPerDay]),
    );
    const partnerOf = new Map(technicians.map((t) => [t.id, t.partnerId]));
    const amcMinutes = [
      ...dayWork.map((t) => ({ ticket: t, span: t.appointment! })),
      ...made.map((v) => ({ ticket: v.ticket, span: v.made })),
    ];
    for (const { ticket, span } of amcMinutes) {
      const partnerId = partnerOf.get(ticket.technicianId!);
      if (ticket.kind !== 'amc_visit' || partnerId === undefined || !amcBudgets.has(partnerId)) continue;
      amcBudgets.set(partnerId, amcBudgets.get(partnerId)! - (span.end - span.start) / MINUTE_MS);
    }

    const candidates: (FillCandidate & { held: HeldWork })[] = [];
    const overdue: HeldWork[] = [];
    for (const work of held) {
      const within = { start: Math.max(work.window.start, earliest), end: work.window.end };
      const onDay = { start: Math.max(within.start, day), end: Math.min(within.end, day + DAY_MS) };
      if (within.end <= day) {
        overdue.push(work);
        continue;
      }
      if (onDay.end <= onDay.start) continue;
      candidates.push({
        id: work.ticket.id,
        held: work,
        job: {
          id: work.ticket.id,
          position: work.position,
          skill: work.skill,
          certificationRequired: work.certificationRequired,
          durationMinutes: work.durationMinutes,
          slaDueAt: work.ticket.slaDueAt,
          window: onDay,
          priority: rankOfTicketPriority[work.ticket.priority],
        },
        ...(work.partnerId === null
          ? {}
          : { technicianIds: partnerTeam(work.partnerId), budget: work.partnerId }),
        lastChance: !laterWorkingDayLeft(day, within, work.durationMinutes, worksOn(work.partnerId)),
      });
    }

    const placements = fillDay(day, team, routes, candidates, { budgets: amcBudgets });
    for (const placement of placements) {
      const { held: work } = candidates.find((c) => c.id === placement.id)!;
      const { insertion } = placement;
      const what = work.work === null ? "the visit's window" : "the work's SLA";
      const reason = placement.lastChance
        ? `Route fill: the last working day of ${what} (${insertion.marginalKm.toFixed(1)} km added to the day)`
        : `Route fill: ${insertion.marginalKm.toFixed(1)} km added to a day already in the area, against ${placement.ownTripKm.toFixed(1)} km for a trip of its own`;
      try {
        const assigned = await repos.tickets.assign(
          work.ticket.id,
          {
            // Refused if anyone touched the ticket since it was read (booked by hand, work folded in).
            expectedVersion: work.ticket.version,
            technicianId: team[insertion.technician]!.id,
            appointment: {
              start: insertion.startAt,
              end: insertion.startAt + work.durationMinutes * MINUTE_MS,
            },
            // The window it was free to go in, for whoever measures the choice (the backtest's replay).
            plannedWithin: {
              start: Math.max(work.window.start, work.ticket.createdAt),
              end: work.window.end,
            },
            reason,
          },
          actor,
        );
        if (placement.lastChance) report.lastChance++;
        else report.filled++;
        if (work.work !== null) {
          report.predictive++;
          await ensureTicketWork(ctx, assigned, work.work, work.window);
        }
      } catch (err) {
        // Changed since it was read (cancelled, assigned by hand, work folded in): not waiting any more.
        if (!isChangedMeanwhile(err)) throw err;
      }
    }
    const placed = new Set(placements.map((p) => p.id));
    const stranded = candidates.filter((c) => c.lastChance && !placed.has(c.id)).map((c) => c.held);
    for (const work of [...stranded, ...overdue]) {
      const current = await repos.tickets.get(work.ticket.id);
      if (current?.status !== 'open' || current.technicianId !== null) continue;
      // Done as soon as it can be, late.
      const late = {
        start: Math.max(day, earliest),
        end: Math.max(work.window.end, day + ROUTE_FILL_LATE_DAYS * DAY_MS),
      };
      const assigned =
        work.work === null
          ? (
              await dispatchTicket(
                data,
                {
                  ticket: current,
                  position: work.position,
                  skill: work.skill,
                  certificationRequired: work.certificationRequired,
                  durationMinutes: work.durationMinutes,
                  priority: rankOfTicketPriority[current.priority],
                  window: late,
                  slaDueAt: current.slaDueAt,
                  ...(work.partnerId === null ? {} : { partnerId: work.partnerId }),
                },
                actor,
                { ...options.dispatch, maxDays: ROUTE_FILL_LATE_DAYS + 1 },
              )
            ).kind === 'assigned'
          : (await ensureTicketWork(ctx, current, work.work, late)).dispatch === 'assigned';
      if (assigned) {
        report.late++;
        if (work.work !== null) report.predictive++;
      } else report.unassigned++;
    }
    // Predictive work that no day nearby came up for in its first days: booked now as any repair is.
    const handled = new Set([
      ...placed,
      ...stranded.map((w) => w.ticket.id),
      ...overdue.map((w) => w.ticket.id),
    ]);
    const release = { ...ctx, actor: routeFillReleaseActor };
    for (const work of held) {
      if (work.work === null || handled.has(work.ticket.id)) continue;
      if (!releasedFromFill(work.ticket.createdAt, now, nowOffset)) continue;
      const current = await repos.tickets.get(work.ticket.id);
      if (current?.status !== 'open' || current.technicianId !== null) continue;
      const window = { start: Math.max(work.window.start, earliest), end: work.window.end };
      const outcome = await ensureTicketWork(release, current, work.work, window);
      if (outcome.dispatch === 'assigned') report.released++;
      else report.unassigned++;
    }
    return report;
  }

  return createCronJob({
    name: 'aftercare-amc-route-fill',
    label: 'route fill',
    expression: options.cron ?? defaultRouteFillCron,
    example: defaultRouteFillCron,
    ...(options.cronTimezone ? { timezone: options.cronTimezone } : {}),
    clock,
    logger: log,
    run,
    summary: (report) => ({ ...report }),
    doneMessage: 'waiting AMC visits and predictive work fitted into the routes of the day filled',
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
