import type { ContractVisit, Logger } from '@aftercare/core';
import {
  type AmcVisit,
  amcBookFrom,
  amcVisitsFor,
  partnerAmcCapacity,
  scheduleAmcVisits,
} from '../automation/amc-schedule.ts';
import { DAY_MS, localDayStart } from '../automation/work.ts';
import { systemActor } from '../principal.ts';
import type { ServiceRepositories } from '../repositories/service-repositories.ts';
import { bookedMinutes, type SiteGroup, siteGroups, visitsOf } from './amc-contract-sites.ts';
import { type CronJob, createCronJob } from './cron-job.ts';
import { utcOffsetMinutes } from './local-time.ts';
import { PlanningData, page, planningTechnician } from './planning-data.ts';

export const defaultAmcCron = '30 1 * * *';

export interface AmcSchedulerOptions {
  repositories: ServiceRepositories;
  /** node-cron expression, 5 fields or 6 with seconds first. Default nightly at 01:30. */
  cron?: string;
  /** Zone the cron expression is read in; the process's when left out. */
  cronTimezone?: string;
  logger: Logger;
  clock?: () => number;
  /** Contracts ending within this many days are listed for renewal and marked `due`. Default 60. */
  renewalWithinDays?: number;
  /** Share of a technician's daily capacity AMC visits may take. Default 0.35 (the rest is for repairs). */
  capacityShare?: number;
}

export interface AmcRunReport {
  at: number;
  contracts: number;
  /** Visit rows (one per device and visit) written for the first time. */
  visitsPlanned: number;
  /** Visit tickets opened because their window opens by tomorrow (the route fill gives them a day). */
  ticketsOpened: number;
  unscheduled: { contractId: string; sequence: number; reason: string }[];
  renewalsDue: { contractId: string; customerId: string; endsAt: number; daysLeft: number }[];
  /** Planned visits whose window passed without a ticket, marked missed. */
  missed: number;
}

export type AmcScheduler = CronJob<AmcRunReport>;

/**
 * The AMC job: on a node-cron schedule (nightly by default) it writes the visits active contracts
 * entitle, spread over the contract year (`amcVisitsFor`); checks them against the AMC capacity of the
 * partner servicing each site (`scheduleAmcVisits`, counting visits already booked) and reports those
 * that cannot fit their window; opens a visit's tickets when its window opens, for the route fill
 * (`createAmcRouteFill`) to give them a day a technician works nearby; marks visits whose window passed
 * without a ticket as missed; and marks `due` and lists the contracts coming up for renewal (the only
 * place their status moves there: the API's reads of renewals write nothing). Every step looks at what
 * is there first, so a run repeated changes nothing.
 */
export function createAmcScheduler(options: AmcSchedulerOptions): AmcScheduler {
  const repos = options.repositories;
  const clock = options.clock ?? Date.now;
  const log = options.logger.child({ component: 'amc-scheduler' });
  const actor = systemActor('amc-scheduler');

  async function run(now: number): Promise<AmcRunReport> {
    const data = new PlanningData(repos);
    const technicians = await data.technicians();
    const zone = technicians[0]?.workingHours.timezone ?? 'UTC';
    const offset = utcOffsetMinutes(zone, now);
    const today = localDayStart(now, offset);
    const report: AmcRunReport = {
      at: now,
      contracts: 0,
      visitsPlanned: 0,
      ticketsOpened: 0,
      unscheduled: [],
      renewalsDue: [],
      missed: await repos.visits.markMissedVisits(now),
    };

    const groups = await siteGroups(data, now);
    report.contracts = new Set(groups.map((g) => g.contract.id)).size;
    const rows = new Map<string, ContractVisit[]>();
    for (const group of groups) {
      if (!rows.has(group.contract.id)) rows.set(group.contract.id, await visitsOf(repos, group.contract.id));
    }
    const rowsFor = (group: SiteGroup, visit: AmcVisit) =>
      rows
        .get(group.contract.id)!
        .filter((r) => r.dueFrom === visit.window.start && group.deviceIds.includes(r.deviceId));

    // Visits already under way (a ticket, done, missed) are not booked again; their tickets hold their days.
    const existingVisitIds = new Set<string>();
    for (const group of groups) {
      for (const visit of amcVisitsFor(group.schedule)) {
        const held = rowsFor(group, visit);
        if (held.length === group.deviceIds.length && held.every((r) => r.status !== 'planned'))
          existingVisitIds.add(visit.visitId);
      }
    }
    // Capacity per working day: every active technician counts, whichever weekday today is.
    const team = technicians.map((t) => ({
      ...planningTechnician(t, today, offset),
      available: t.status === 'active',
    }));
    const capacity = partnerAmcCapacity(team, options.capacityShare);
    const bookFrom = amcBookFrom(now, offset, Math.max(0, ...team.map((t) => t.workingHours.endMinute)));
    const schedule = scheduleAmcVisits(
      groups.map((g) => g.schedule),
      capacity,
      await bookedMinutes(data, technicians, today, offset),
      { utcOffsetMin: offset, from: now, bookFrom, existingVisitIds },
    );
    for (const { visit, reason } of schedule.unscheduled) {
      const group = groups.find((g) => g.schedule.contractId === visit.contractId)!;
      report.unscheduled.push({ contractId: group.contract.id, sequence: visit.sequence, reason });
    }

    // Every visit still to come is an entitlement the customer can see, booked or not.
    for (const group of groups) {
      const entitled = amcVisitsFor(group.schedule).filter((v) => v.window.end >= now);
      const missing = entitled.flatMap((v) =>
        group.deviceIds
          .filter((deviceId) => !rowsFor(group, v).some((r) => r.deviceId === deviceId))
          .map((deviceId) => ({ deviceId, dueFrom: v.window.start, dueTo: v.window.end })),
      );
      if (missing.length === 0) continue;
      await repos.visits.planVisits(group.contract.id, missing);
      report.visitsPlanned += missing.length;
      rows.set(group.contract.id, await visitsOf(repos, group.contract.id));
    }

    // A visit's ticket opens when its window does (by tomorrow's end): from then the route fill
    // (`createAmcRouteFill`) fits it into a day a technician is in the area, by the window's end.
    const opensBy = today + 2 * DAY_MS;
    for (const group of groups) {
      for (const visit of amcVisitsFor(group.schedule)) {
        if (visit.window.start >= opensBy || visit.window.end <= now) continue;
        for (const row of rowsFor(group, visit).filter(
          (r) => r.status === 'planned' && r.ticketId === null,
        )) {
          await repos.visits.openVisitTicket(row.id, actor);
          report.ticketsOpened++;
        }
      }
    }

    const renewalWithinDays = options.renewalWithinDays ?? 60;
    await repos.contracts.markRenewalsDue(renewalWithinDays);
    const renewals = await repos.contracts.renewalsDue(renewalWithinDays, {
      limit: page,
      offset: 0,
    });
    report.renewalsDue = renewals.items.map((c) => ({
      contractId: c.id,
      customerId: c.customerId,
      endsAt: c.endsAt,
      daysLeft: Math.floor((c.endsAt - now) / DAY_MS),
    }));
    return report;
  }

  return createCronJob({
    name: 'aftercare-amc-scheduler',
    label: 'AMC scheduler',
    expression: options.cron ?? defaultAmcCron,
    example: defaultAmcCron,
    ...(options.cronTimezone ? { timezone: options.cronTimezone } : {}),
    clock,
    logger: log,
    run,
    summary: (report) => ({
      ...report,
      unscheduled: report.unscheduled.length,
      renewalsDue: report.renewalsDue.length,
    }),
    doneMessage: 'AMC visits scheduled',
  });
}
