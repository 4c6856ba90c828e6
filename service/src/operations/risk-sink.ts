import {
  ConflictError,
  type DeviceModel,
  type Logger,
  type Risk,
  type ServiceDevice,
  type Ticket,
  ValidationError,
} from '@aftercare/core';
import type { RiskSink } from '@aftercare/models';
import {
  decideRiskAction,
  defaultRiskThresholds,
  MIN_NOTICE_HOURS,
  type OpenPredictiveTicket,
  predictiveTicketPlan,
  type RequiredWork,
  type RiskDecision,
  type RiskThresholds,
  requiredWork,
  type UpcomingAmcVisit,
} from '../automation/risk-policy.ts';
import { HOUR_MS, type TimeWindow } from '../automation/work.ts';
import type { ServiceDatabase } from '../db/database.ts';
import { type EventBus, riskChangedEvent } from '../events/event-bus.ts';
import { systemActor } from '../principal.ts';
import { rankOfTicketPriority, ticketPriorityOfRank } from '../repositories/predictive-ticket-repository.ts';
import type { ServiceRepositories } from '../repositories/service-repositories.ts';
import { openKeyOf } from '../tickets/ticket-writes.ts';
import type { DispatchOptions } from './dispatch-ticket.ts';
import { PlanningData } from './planning-data.ts';
import { RecentScores } from './recent-scores.ts';
import { raiseTicketPriority } from './ticket-priority.ts';
import { DispatchThrottle, ensureTicketWork, type TicketWorkReport } from './ticket-work.ts';

export interface RiskSinkOptions {
  repositories: ServiceRepositories;
  /** The service database: raising a ticket's priority goes through the tickets' writer on it. */
  db: ServiceDatabase;
  /** Where risk changes are announced; the repositories' bus when left out. */
  bus?: EventBus;
  logger: Logger;
  /** Per device model, over the policy's defaults. */
  thresholds?: Partial<Record<DeviceModel, RiskThresholds>>;
  clock?: () => number;
  dispatch?: DispatchOptions & {
    /** How long a ticket that found no technician waits before it is planned again. Default 1 h. */
    retryMs?: number;
  };
  /**
   * The evening route fill runs beside the sink (`createAmcRouteFill`): predictive work that is not
   * urgent waits for it to be given a day where a technician is nearby. Default off: booked at once.
   */
  routeFill?: boolean;
  /** Scores kept per device × component for the hysteresis. Default 16. */
  scoresPerPair?: number;
}

/** Risks handled per read of their devices and open work: well under a second of handling. */
const BATCH_READ_RISKS = 1000;

/** What became of one risk. */
export interface RiskHandling {
  deviceId: string;
  component: string;
  action: RiskDecision['action'] | 'skipped' | 'failed';
  reason: string;
  ticketId: string | null;
  /** For open and fold: whether a ticket was opened now, found open, or the work folded into a visit. */
  outcome?:
    | 'opened'
    | 'already_open'
    | 'folded'
    | 'priority_raised'
    | 'cancelled'
    /** The risk went: the predictive work was taken back out of the AMC visit, which still goes ahead. */
    | 'unfolded'
    | 'left_open';
  work?: TicketWorkReport;
}

export interface RiskAutomation extends RiskSink {
  /** Handles the risks one after another and says what became of each; never throws for one risk. */
  handleRisks(risks: readonly Risk[]): Promise<RiskHandling[]>;
}

/**
 * The service side of the models' RiskSink: every risk is announced on the event bus, decided by the
 * risk policy (`decideRiskAction`) from the device's open predictive ticket, its recent scores and its
 * upcoming AMC visits, and the decision carried out through the repositories: a predictive ticket opened
 * (or the work folded into an AMC visit) with its part reserved or moved and a technician dispatched,
 * a ticket's priority raised, or a ticket whose risk has gone cancelled. Idempotent: a batch delivered
 * again finds its work done and changes nothing. A risk that fails is logged and the others go on;
 * `acceptRisks` then throws, so the scoring job offers the batch again on its next run.
 */
export function createRiskSink(options: RiskSinkOptions): RiskAutomation {
  const { repositories, db } = options;
  const bus = options.bus ?? repositories.events;
  const clock = options.clock ?? Date.now;
  const log = options.logger.child({ component: 'risk-automation' });
  const thresholdsOf = (model: DeviceModel) => options.thresholds?.[model] ?? defaultRiskThresholds[model];
  const scores = new RecentScores(options.scoresPerPair ?? 16);
  const throttle = new DispatchThrottle(options.dispatch?.retryMs);
  const actor = systemActor('automation');
  // Batches are handled one at a time, so the scores in memory follow the order risks arrived in.
  let queue: Promise<unknown> = Promise.resolve();

  /**
   * What a chunk of a batch reads once for all its risks (`BATCH_READ_RISKS`): most risks of a scoring
   * run are low, for devices with no open work, and need no read of their own. A pair the chunk has
   * acted on is read again each time. Work another writer opens while a chunk is handled is seen from
   * the next chunk on (a risk at or above p_open still finds it when opening: `already_open`).
   */
  interface BatchReads {
    devices: Map<string, ServiceDevice>;
    openKeys: Set<string>;
    touched: Set<string>;
  }

  async function batchReads(risks: readonly Risk[]): Promise<BatchReads> {
    const ids = risks.map((r) => r.deviceId);
    const [devices, openKeys] = await Promise.all([
      repositories.devices.getMany(ids),
      repositories.predictive.openKeysOf(ids),
    ]);
    return { devices: new Map(devices.map((d) => [d.id, d])), openKeys, touched: new Set() };
  }

  async function handleRisk(risk: Risk, data: PlanningData, batch: BatchReads): Promise<RiskHandling> {
    const now = clock();
    const handling = (h: Omit<RiskHandling, 'deviceId' | 'component'>): RiskHandling => ({
      deviceId: risk.deviceId,
      component: risk.component,
      ...h,
    });
    const device = batch.devices.get(risk.deviceId) ?? (await repositories.devices.get(risk.deviceId));
    if (!scores.has(risk.deviceId, risk.component, risk.scoredAt))
      bus.publish(riskChangedEvent(risk, device?.customerId ?? null));
    if (!device) return handling({ action: 'skipped', reason: 'device not registered', ticketId: null });
    if (device.model !== risk.model)
      return handling({
        action: 'skipped',
        reason: `risk is for a ${risk.model}, the device is a ${device.model}`,
        ticketId: null,
      });
    let work: RequiredWork;
    try {
      work = requiredWork(risk);
    } catch (err) {
      if (err instanceof ValidationError)
        return handling({ action: 'skipped', reason: err.message, ticketId: null });
      throw err;
    }

    const key = openKeyOf(risk.deviceId, work.component);
    const open =
      batch.openKeys.has(key) || batch.touched.has(key)
        ? await repositories.predictive.findOpen(risk.deviceId, work.component)
        : null;
    batch.touched.add(key);
    const decide = async (excludedVisits: ReadonlySet<string>) =>
      decideRiskAction({
        risk,
        thresholds: thresholdsOf(risk.model),
        openTicket: open ? await policyTicket(open) : null,
        history: scores.of(risk.deviceId, risk.component),
        // Only a risk that opens work can fold into a visit: most of a run's risks are low and do not.
        upcomingAmcVisits:
          open || risk.pFail < thresholdsOf(risk.model).pOpen
            ? []
            : (await upcomingVisits(risk.deviceId, now)).filter((v) => !excludedVisits.has(v.visitId)),
      });
    let decision = await decide(new Set());
    scores.record(risk.deviceId, risk.component, risk);
    const ctx = {
      data,
      now,
      actor,
      logger: log,
      dispatch: options.dispatch ?? {},
      throttle,
      routeFill: options.routeFill ?? false,
    };

    if (decision.action === 'fold_into_amc_visit' || decision.action === 'open') {
      let result: Awaited<ReturnType<typeof repositories.predictive.openPredictiveTicket>>;
      try {
        result = await repositories.predictive.openPredictiveTicket(risk, decision, actor);
      } catch (err) {
        // The visit moved on (done, missed, or its ticket took other work) since it was read: decide without it.
        if (!(err instanceof ConflictError) || decision.action !== 'fold_into_amc_visit') throw err;
        log.info({ visitId: decision.visitId, err: err.message }, 'cannot fold into the AMC visit');
        decision = await decide(new Set([decision.visitId]));
        if (decision.action !== 'open' && decision.action !== 'fold_into_amc_visit')
          return handling({ action: decision.action, reason: decision.reason, ticketId: null });
        result = await repositories.predictive.openPredictiveTicket(risk, decision, actor);
      }
      const { ticket, outcome } = result;
      if (outcome !== 'already_open') throttle.allow(ticket.id);
      const window = outcome === 'already_open' ? keptWindow(ticket, now) : decision.ticket.appointmentWindow;
      const report = await ensureTicketWork(ctx, ticket, work, window);
      log.info({ deviceId: risk.deviceId, ticketId: ticket.id, outcome, ...report }, decision.reason);
      return handling({
        action: decision.action,
        reason: decision.reason,
        ticketId: ticket.id,
        outcome,
        work: report,
      });
    }

    if (decision.action === 'keep') {
      let ticket = open!;
      let outcome: RiskHandling['outcome'] = 'left_open';
      if (decision.raisePriorityTo !== null) {
        const raised = await raiseTicketPriority(
          db,
          bus,
          ticket.id,
          {
            priority: ticketPriorityOfRank[decision.raisePriorityTo],
            slaDueAt: predictiveTicketPlan(risk).slaDueAt,
            reason: decision.reason,
          },
          actor,
          now,
        );
        if (raised) {
          ticket = raised;
          outcome = 'priority_raised';
          throttle.allow(ticket.id);
        }
      }
      const report = await ensureTicketWork(ctx, ticket, work, keptWindow(ticket, now));
      return handling({
        action: 'keep',
        reason: decision.reason,
        ticketId: ticket.id,
        outcome,
        work: report,
      });
    }

    if (decision.action === 'cancel_candidate') {
      const ticket = open!;
      const waiting = ticket.status === 'open' || ticket.status === 'scheduled';
      if (ticket.kind === 'amc_visit' && waiting) {
        // The maintenance visit still goes ahead; only the repair the risk asked for comes out of it.
        const reason = `${decision.reason}: the predictive work is taken out of the AMC visit`;
        await repositories.predictive.unfoldPredictiveWork(ticket.id, reason, actor);
        log.info({ deviceId: risk.deviceId, ticketId: ticket.id }, reason);
        return handling({ action: 'cancel_candidate', reason, ticketId: ticket.id, outcome: 'unfolded' });
      }
      if (ticket.kind !== 'predictive' || !waiting) {
        const reason = `${decision.reason}; left as it is: a ${ticket.kind} ticket that is ${ticket.status}`;
        log.info({ deviceId: risk.deviceId, ticketId: ticket.id }, reason);
        return handling({ action: 'cancel_candidate', reason, ticketId: ticket.id, outcome: 'left_open' });
      }
      await repositories.tickets.transition(ticket.id, { to: 'cancelled', reason: decision.reason }, actor);
      log.info({ deviceId: risk.deviceId, ticketId: ticket.id }, `cancelled: ${decision.reason}`);
      return handling({
        action: 'cancel_candidate',
        reason: decision.reason,
        ticketId: ticket.id,
        outcome: 'cancelled',
      });
    }

    return handling({ action: 'none', reason: decision.reason, ticketId: null });
  }

  /** The open ticket as the policy sees it; a folded AMC ticket names its visit. */
  async function policyTicket(ticket: Ticket): Promise<OpenPredictiveTicket> {
    let visitId: string | null = null;
    if (ticket.kind === 'amc_visit') {
      const visits = await repositories.visits.listVisits({
        deviceId: ticket.deviceId,
        limit: 100,
        offset: 0,
      });
      visitId = visits.items.find((v) => v.ticketId === ticket.id)?.id ?? null;
    }
    return {
      ticketId: ticket.id,
      priority: rankOfTicketPriority[ticket.priority],
      openedAt: ticket.createdAt,
      foldedIntoVisitId: visitId,
    };
  }

  /**
   * The device's AMC visits still to come that could take more work: booked ones at their appointment,
   * the others over their due window, free to be made with the repair. A visit whose ticket already
   * carries predictive work is full.
   */
  async function upcomingVisits(deviceId: string, now: number): Promise<UpcomingAmcVisit[]> {
    const { items } = await repositories.visits.listVisits({ deviceId, dueFrom: now, limit: 100, offset: 0 });
    const upcoming: UpcomingAmcVisit[] = [];
    for (const visit of items) {
      if (visit.status !== 'planned' && visit.status !== 'scheduled') continue;
      const ticket = visit.ticketId === null ? null : await repositories.tickets.get(visit.ticketId);
      if (ticket?.failureMode) continue;
      // Not booked yet (the route fill gives visits their day): it can be made with the repair.
      upcoming.push(
        ticket?.appointment
          ? { visitId: visit.id, window: ticket.appointment }
          : { visitId: visit.id, window: { start: visit.dueFrom, end: visit.dueTo }, flexible: true },
      );
    }
    return upcoming;
  }

  async function handleRisks(risks: readonly Risk[]): Promise<RiskHandling[]> {
    const run = queue.then(async () => {
      const data = new PlanningData(repositories);
      const results: RiskHandling[] = [];
      let batch: BatchReads | null = null;
      for (const [index, risk] of risks.entries()) {
        // Read again every chunk: work another process opened meanwhile is seen a chunk later at most.
        if (index % BATCH_READ_RISKS === 0)
          batch = await batchReads(risks.slice(index, index + BATCH_READ_RISKS));
        try {
          results.push(await handleRisk(risk, data, batch!));
        } catch (err) {
          log.error(
            { err, deviceId: risk.deviceId, component: risk.component },
            'risk could not be acted on',
          );
          results.push({
            deviceId: risk.deviceId,
            component: risk.component,
            action: 'failed',
            reason: err instanceof Error ? err.message : String(err),
            ticketId: null,
          });
        }
      }
      return results;
    });
    queue = run.catch(() => {});
    return run;
  }

  return {
    handleRisks,
    async acceptRisks(risks) {
      const results = await handleRisks(risks);
      const failed = results.filter((r) => r.action === 'failed');
      if (failed.length > 0) {
        throw new Error(
          `${failed.length} of ${results.length} risks could not be acted on (first: ${failed[0]!.deviceId} ${failed[0]!.component}: ${failed[0]!.reason}); the batch is safe to offer again`,
        );
      }
    },
  };
}

/** When a kept ticket's work may be planned: after the customer's notice, by its SLA (at least a 4 h slot). */
function keptWindow(ticket: Ticket, now: number): TimeWindow {
  const start = now + MIN_NOTICE_HOURS * HOUR_MS;
  return { start, end: Math.max(ticket.slaDueAt, start + 4 * HOUR_MS) };
}
