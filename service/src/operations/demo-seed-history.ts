import {
  catalog,
  type DeviceModel,
  failureMode as findFailureMode,
  hashString,
  inSentence,
  type Logger,
  mixSeed,
  Rng,
} from '@aftercare/core';
import { amcVisitsFor } from '../automation/amc-schedule.ts';
import { DAY_MS, HOUR_MS } from '../automation/work.ts';
import type { ServiceDatabase } from '../db/database.ts';
import { EventBus } from '../events/event-bus.ts';
import { createServiceRepositories } from '../repositories/service-repositories.ts';
import {
  type AwaitingRating,
  awaitingRatingDays,
  giveHeldFeedback,
  leaveDemoCustomerToRate,
} from './demo-seed-history-feedback.ts';
import {
  afterCare,
  carryOutJob,
  type HistoryContext,
  type HistoryTechnician,
  historyActors,
  nextWorkingSlot,
  openPredictiveTicket,
  pickTechnician,
} from './demo-seed-history-jobs.ts';
import { remoteFixJob } from './demo-seed-history-remote.ts';
import { minuteOfDay, utcOffsetMinutes } from './local-time.ts';
import { collectPages, page } from './planning-data.ts';

/** A failure of the simulated fleet's past, as its ground truth tells it, and how the service met it. */
export interface DemoHistoryFailure {
  deviceId: string;
  model: DeviceModel;
  failureMode: string;
  component: string;
  onsetAt: number;
  failedAt: number;
  /**
   * Caught: a predictive visit repaired it before it failed. Fixed remotely: the predictive ticket's
   * remote fix cleared it, nobody travelled. Failed: the customer called after the failure.
   */
  outcome: 'caught' | 'fixed_remotely' | 'failed';
  /** When the predictive ticket opened (caught and fixed remotely). */
  flaggedAt: number | null;
  /**
   * When the device was repaired: the technician on site before the failure when caught, the device
   * answering the remote fix when fixed remotely, the corrective visit otherwise.
   */
  repairAt: number;
  /** Fixed remotely: the command, the device's answer, and when and why the automation resolved the ticket. */
  remote?: { command: string; answer: string; resolvedAt: number; reason: string };
}

export interface SeedDemoHistoryOptions {
  /** A connection of its own is fine: the history writes with its own clock and event bus. */
  db: ServiceDatabase;
  failures: readonly DemoHistoryFailure[];
  from: number;
  until: number;
  seed: number;
  logger: Logger;
  /** Predictive tickets that find nothing, per device-year. Default 0.3. */
  falseAlarmRate?: number;
}

export interface DemoHistoryResult {
  seeded: boolean;
  tickets: {
    predictive: number;
    corrective: number;
    fixedRemotely: number;
    amcVisits: number;
    falseAlarms: number;
  };
  /** Jobs the service's rules refused (logged and left out); none when the world and history agree. */
  refused: number;
  /** The demo customer's visits closed lately that they have still to rate (`leaveDemoCustomerToRate`). */
  toRate: AwaitingRating;
  seconds: number;
}

/** Whether a demo history was written to this database (its tickets carry the history's actor). */
export async function hasDemoHistory(db: ServiceDatabase): Promise<boolean> {
  const row = await db
    .selectFrom('tickets')
    .select('id')
    .where('created_by', '=', historyActors.automation.id)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

type Job = { at: number; run: () => Promise<void> };

/**
 * Writes a year of service history for the demo world (already seeded) from the simulator's ground
 * truth: a predictive ticket for every failure caught (resolved remotely when its remote fix cleared
 * it), a corrective ticket for every failure that happened, AMC visits, a few false alarms; each with its assignment, visits, parts, verification,
 * closure, feedback, warranty claim and part return, all through the repositories and the audit log.
 * Jobs run in time order, each finished before the next starts, so none holds another's device key.
 * The demo customer account is left visits of the last weeks still to rate (linked to a customer who
 * has some, when its own has none). Done once: a database with history tickets is left alone.
 */
export async function seedDemoHistory(options: SeedDemoHistoryOptions): Promise<DemoHistoryResult> {
  const started = Date.now();
  const log = options.logger.child({ component: 'demo-history' });
  const counts = { predictive: 0, corrective: 0, fixedRemotely: 0, amcVisits: 0, falseAlarms: 0 };
  const nothing = {
    tickets: counts,
    refused: 0,
    toRate: { customerId: null, relinked: false, ticketIds: [] },
  };
  if (await hasDemoHistory(options.db)) return { seeded: false, ...nothing, seconds: 0 };
  let now = options.from;
  const repos = createServiceRepositories(options.db, { clock: () => now, events: new EventBus() });
  const ctx: HistoryContext = {
    repos,
    db: options.db,
    // Jobs overlap in time but run one after another: each sets the clock to its own step's time.
    clock: {
      set: (at) => {
        now = Math.round(at / 60_000) * 60_000;
      },
    },
    rng: new Rng(mixSeed(options.seed, hashString('demo-history'))),
    punctualitySeed: mixSeed(options.seed, hashString('demo-history-punctuality')),
    until: options.until,
    technicians: await loadTechnicians(repos, options.db),
    devices: await loadDevices(options.db),
    warehouseId:
      (
        await options.db
          .selectFrom('stock_locations')
          .select('id')
          .where('kind', '=', 'central_warehouse')
          .executeTakeFirst()
      )?.id ?? null,
    // An hour's margin: every visit whose closure is recorded in the last days has its verdict held.
    feedback: { heldFrom: options.until - awaitingRatingDays * DAY_MS - HOUR_MS, held: [] },
  };
  if (ctx.technicians.length === 0) {
    log.warn('no active technicians: no service history written');
    return { seeded: false, ...nothing, seconds: 0 };
  }
  const jobs: Job[] = [];
  for (const f of options.failures) {
    if (!ctx.devices.has(f.deviceId) || f.failedAt < options.from) continue;
    if (f.outcome === 'fixed_remotely' && f.flaggedAt !== null && f.remote) {
      jobs.push({
        at: f.flaggedAt,
        run: () => remoteFixJob(ctx, f).then((done) => void (done && counts.fixedRemotely++)),
      });
    } else if (f.outcome === 'caught' && f.flaggedAt !== null) {
      jobs.push({
        at: f.flaggedAt,
        run: () => predictiveJob(ctx, f, true).then(() => void counts.predictive++),
      });
    } else {
      jobs.push({ at: f.failedAt, run: () => correctiveJob(ctx, f).then(() => void counts.corrective++) });
    }
  }
  const years = (options.until - options.from) / (365 * DAY_MS);
  for (const [deviceId, device] of ctx.devices) {
    const rng = new Rng(mixSeed(options.seed, hashString(`false-alarm/${deviceId}`)));
    let at = options.from + rng.uniform(0, 1) * (options.until - options.from);
    if (rng.next() > (options.falseAlarmRate ?? 0.3) * years) continue;
    at = Math.round(at / HOUR_MS) * HOUR_MS;
    if (at > options.until - 10 * DAY_MS) continue;
    const mode = rng.pick(catalog[device.model].failureModes);
    const alarm: DemoHistoryFailure = {
      deviceId,
      model: device.model,
      failureMode: mode.id,
      component: mode.component,
      onsetAt: at,
      failedAt: at,
      outcome: 'caught',
      flaggedAt: at,
      repairAt: at + rng.uniform(20, 60) * HOUR_MS,
    };
    // A false alarm must not overlap a real failure of the same device.
    if (options.failures.some((f) => f.deviceId === deviceId && Math.abs(f.failedAt - at) < 20 * DAY_MS))
      continue;
    jobs.push({ at, run: () => predictiveJob(ctx, alarm, false).then(() => void counts.falseAlarms++) });
  }
  jobs.push(...(await amcJobs(ctx, options.from, options.until, () => counts.amcVisits++)));
  jobs.sort((a, b) => a.at - b.at);
  let refused = 0;
  for (const job of jobs) {
    try {
      await job.run();
    } catch (err) {
      // One job the rules refuse (a technician's certificate, a stale key) must not lose the year.
      refused++;
      log.warn({ err }, 'a history job was refused; left out');
    }
  }
  // The demo customer has not rated their latest visits yet; everyone else's verdicts are given.
  const toRate = await leaveDemoCustomerToRate(ctx, log);
  await giveHeldFeedback(ctx, ctx.feedback.held, new Set(toRate.ticketIds));
  now = options.until;
  await repos.visits.markMissedVisits(options.until);
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  log.info({ ...counts, refused, toRate: toRate.ticketIds.length, seconds }, 'demo service history written');
  return { seeded: true, tickets: counts, refused, toRate, seconds };
}

async function predictiveJob(ctx: HistoryContext, f: DemoHistoryFailure, real: boolean): Promise<void> {
  const device = ctx.devices.get(f.deviceId)!;
  const mode = findFailureMode(f.model, f.failureMode);
  const technician = pickTechnician(ctx, device.position, mode?.skill ?? null, f.repairAt + DAY_MS);
  if (!technician) return;
  // A real failure's visit is the simulator's repair (in working hours already); a false alarm's
  // visit goes to the technician's next working slot.
  const visitAt = real ? f.repairAt : nextWorkingSlot(technician, f.repairAt, mode?.repairMinutes ?? 60);
  ctx.clock.set(f.flaggedAt!);
  const pFail = ctx.rng.uniform(real ? 0.62 : 0.52, real ? 0.95 : 0.75);
  const daysLeft = real ? Math.max(0.5, (f.failedAt - f.flaggedAt!) / DAY_MS) : ctx.rng.uniform(3, 12);
  const ticket = await openPredictiveTicket(ctx, { ...f, flaggedAt: f.flaggedAt! }, { pFail, daysLeft });
  // One repair in ten needs a second visit: the part was not in the van.
  const twoVisits = real && ctx.rng.next() < 0.1 && f.repairAt - f.flaggedAt! > 30 * HOUR_MS;
  const closure = await carryOutJob(ctx, {
    ticketId: ticket.id,
    deviceId: f.deviceId,
    model: f.model,
    failureMode: f.failureMode,
    technician,
    assignedAt: f.flaggedAt! + 15 * 60_000,
    visits: twoVisits ? [visitAt - 24 * HOUR_MS, visitAt] : [visitAt],
    fitPart: real,
    fixed: real,
    resolution: real
      ? `${mode?.label ?? 'Fault'} found as predicted and fixed before the device stopped`
      : 'No fault found on site; readings within range',
  });
  await afterCare(ctx, ticket.id, closure, twoVisits ? 'annoyed' : real ? 'pleased' : 'neutral');
}

async function correctiveJob(ctx: HistoryContext, f: DemoHistoryFailure): Promise<void> {
  const device = ctx.devices.get(f.deviceId)!;
  const mode = findFailureMode(f.model, f.failureMode);
  // One repair in eight needs a second visit: the part was not in the van.
  const twoVisits = ctx.rng.next() < 0.125 && f.repairAt - f.failedAt > 44 * HOUR_MS;
  // Customers call some hours after the breakdown; the visit follows within the day or the next. The
  // (last) visit is when the simulator repaired the device, so telemetry and ticket agree.
  const repairAt = f.repairAt;
  const reportedAt = Math.max(
    f.failedAt + HOUR_MS,
    repairAt - ctx.rng.uniform(twoVisits ? 40 : 6, twoVisits ? 44 : 26) * HOUR_MS,
  );
  const technician = pickTechnician(ctx, device.position, mode?.skill ?? null, repairAt + 3 * DAY_MS);
  if (!technician) return;
  ctx.clock.set(reportedAt);
  const ticket = await ctx.repos.tickets.create(
    {
      kind: 'corrective',
      deviceId: f.deviceId,
      failureMode: f.failureMode,
      description: `Customer reports the ${inSentence(catalog[f.model].label)} stopped working (${mode ? inSentence(mode.label) : f.failureMode})`,
      priority: 'high',
    },
    { ...historyActors.planner, id: historyActors.automation.id },
  );
  const closure = await carryOutJob(ctx, {
    ticketId: ticket.id,
    deviceId: f.deviceId,
    model: f.model,
    failureMode: f.failureMode,
    technician,
    assignedAt: reportedAt + 30 * 60_000,
    visits: twoVisits ? [repairAt - 24 * HOUR_MS, repairAt] : [repairAt],
    fitPart: true,
    fixed: true,
    resolution: `${mode?.label ?? 'Fault'} repaired after the breakdown`,
  });
  await afterCare(
    ctx,
    ticket.id,
    closure,
    twoVisits ? 'annoyed' : ctx.rng.next() < 0.7 ? 'neutral' : 'pleased',
  );
}

/** The AMC visits of the past year: planned, carried out in their window (one in ten missed). */
async function amcJobs(ctx: HistoryContext, from: number, until: number, count: () => void): Promise<Job[]> {
  const contracts = await ctx.db
    .selectFrom('contracts')
    .innerJoin('amc_plans', 'amc_plans.id', 'contracts.plan_id')
    .select([
      'contracts.id',
      'contracts.customer_id',
      'contracts.starts_at',
      'contracts.ends_at',
      'amc_plans.visits_per_year',
    ])
    .execute();
  const jobs: Job[] = [];
  for (const c of contracts) {
    const devices = (
      await ctx.db
        .selectFrom('contract_devices')
        .select('device_id')
        .where('contract_id', '=', c.id)
        .execute()
    ).map((d) => d.device_id);
    const windows = amcVisitsFor({
      contractId: c.id,
      customerId: c.customer_id,
      siteId: '',
      sitePosition: { lat: 0, lon: 0 },
      partnerId: '',
      startsAt: Number(c.starts_at),
      endsAt: Number(c.ends_at),
      visitsPerYear: c.visits_per_year,
      deviceCount: devices.length,
    }).filter((v) => v.window.end < until && v.window.start >= from);
    for (const v of windows) {
      for (const deviceId of devices) {
        const device = ctx.devices.get(deviceId);
        if (!device) continue;
        const planned = v.window.start + ctx.rng.uniform(0, 0.6) * (v.window.end - v.window.start);
        const missed = ctx.rng.next() < 0.1;
        jobs.push({
          at: v.window.start,
          run: async () => {
            ctx.clock.set(v.window.start);
            const [visit] = await ctx.repos.visits.planVisits(c.id, [
              { deviceId, dueFrom: v.window.start, dueTo: v.window.end },
            ]);
            if (!visit || missed || visit.status !== 'planned') return;
            const technician = pickTechnician(ctx, device.position, 'general_service', planned + DAY_MS);
            if (!technician) return;
            // In the technician's working hours, and before the history ends.
            const at = nextWorkingSlot(technician, planned, 60);
            if (at >= until) return;
            ctx.clock.set(Math.max(v.window.start, at - 3 * DAY_MS));
            const ticket = await ctx.repos.visits.openVisitTicket(visit.id, historyActors.automation);
            const closure = await carryOutJob(ctx, {
              ticketId: ticket.id,
              deviceId,
              model: device.model,
              failureMode: null,
              technician,
              assignedAt: Math.max(v.window.start, at - 3 * DAY_MS) + HOUR_MS,
              visits: [at],
              fitPart: false,
              fixed: true,
              resolution: 'Maintenance done: cleaned, inspected, readings within range',
            });
            await afterCare(ctx, ticket.id, closure, 'pleased');
            count();
          },
        });
      }
    }
  }
  return jobs;
}

async function loadTechnicians(repos: ReturnType<typeof createServiceRepositories>, db: ServiceDatabase) {
  const all = await collectPages((offset) => repos.partners.listTechnicians({ limit: page, offset }));
  const vans = await db
    .selectFrom('stock_locations')
    .select(['id', 'technician_id'])
    .where('kind', '=', 'van')
    .execute();
  return all
    .filter((t) => t.status === 'active')
    .map(
      (t): HistoryTechnician => ({
        id: t.id,
        partnerId: t.partnerId,
        home: t.home,
        workingHours: {
          startMinute: minuteOfDay(t.workingHours.start),
          endMinute: minuteOfDay(t.workingHours.end),
          days: t.workingHours.days,
          utcOffsetMin: utcOffsetMinutes(t.workingHours.timezone, Date.now()),
        },
        vanId: vans.find((v) => v.technician_id === t.id)?.id ?? null,
        skills: t.skills.map((s) => ({ skill: s.skill, certifiedUntil: s.certifiedUntil })),
      }),
    );
}

async function loadDevices(db: ServiceDatabase): Promise<HistoryContext['devices']> {
  const rows = await db
    .selectFrom('devices')
    .leftJoin('sites', 'sites.id', 'devices.site_id')
    .select([
      'devices.id',
      'devices.model',
      'devices.lat',
      'devices.lon',
      'sites.lat as site_lat',
      'sites.lon as site_lon',
      'devices.customer_id',
    ])
    .where('devices.customer_id', 'is not', null)
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        model: r.model,
        position: { lat: r.site_lat ?? r.lat ?? 0, lon: r.site_lon ?? r.lon ?? 0 },
        customerId: r.customer_id,
      },
    ]),
  );
}
