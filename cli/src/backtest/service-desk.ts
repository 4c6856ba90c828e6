import { type DeviceModel, failureMode, type Logger } from '@aftercare/core';
import type { Fleet, GroundTruthRecord } from '@aftercare/device-sim';
import {
  type Actor,
  CORRECTIVE_PLAN_AHEAD_DAYS,
  DispatchThrottle,
  ensureTicketWork,
  heldPredictiveWindow,
  PlanningData,
  planCorrectiveTicket,
  rankOfTicketPriority,
  routeFillActor,
  routeFillReleaseActor,
  type ServiceDatabase,
  type ServiceRepositories,
  systemActor,
  type TicketWorkContext,
} from '@aftercare/service';
import { ROUTE_FILL_RELEASE_DAYS, requiredWork, type TimeWindow } from '@aftercare/service/automation';
import { z } from 'zod';
import type { VisitRecord } from './backtest-types.ts';
import { DAY_MS, HOUR_MS, type TicketOutcome } from './backtest-types.ts';
import type { SteppedClock } from './backtest-world.ts';
import type { Ledger } from './ledger.ts';

/** The warehouse ships on the overnight line haul (parts-sourcing's default lead). */
const warehouseDeliveryMs = 24 * HOUR_MS;
/** Days ahead a second visit may be planned into, as a reported problem is (the platform's corrective dispatch). */
const planAheadDays = CORRECTIVE_PLAN_AHEAD_DAYS;
/**
 * The fix verifier's timing (service operations/fix-verifier.ts): a repair shows in the telemetry after
 * a settle day and the ticket is verified; when nothing measurable changed, it is flagged for review at
 * the end of the 7-day observation, and a planner closes it. Until then the resolved ticket holds its
 * device × component, so an alarm that persists after a visit does not send a technician again at once.
 */
const verifiedAfterMs = 1 * DAY_MS;
const flaggedAfterMs = 7 * DAY_MS;

const activeStatuses = ['open', 'scheduled', 'dispatched', 'on_site'] as const;

type TicketRow = Awaited<ReturnType<typeof loadScheduled>>[number];

async function loadScheduled(db: ServiceDatabase, until: number) {
  return db
    .selectFrom('tickets')
    .selectAll()
    .where('status', '=', 'scheduled')
    .where('appointment_start', '<=', until)
    .orderBy('appointment_start')
    .orderBy('created_at')
    .execute();
}

/**
 * The people of the service network, played in virtual time around the real automation: customers
 * whose device failed call in (a corrective ticket, planned by the automation's own ticket work),
 * couriers deliver transfers at their ETA, and technicians make their visits at the appointment —
 * accepting, arriving, fitting the reserved part, repairing the simulated device and resolving the
 * ticket. What each visit found is written to the ledger.
 */
export class ServiceDesk {
  private readonly throttle = new DispatchThrottle();
  private readonly system: Actor = systemActor('backtest');
  private readonly caller: Actor = systemActor('customer-call');
  private readonly planner: Actor = {
    id: 'system:backtest-planner',
    role: 'planner',
    customerId: null,
    technicianId: null,
  };
  /** Resolved tickets waiting for the verifier's verdict, in time order. */
  private verdicts: { at: number; ticketId: string; fixed: boolean }[] = [];
  /** When each device was last serviced: the scorer's time-since-service feature. */
  readonly lastService = new Map<string, number>();

  constructor(
    private readonly deps: {
      db: ServiceDatabase;
      repositories: ServiceRepositories;
      clock: SteppedClock;
      fleet: Fleet;
      ledger: Ledger;
      models: ReadonlyMap<string, DeviceModel>;
      warehouseIds: ReadonlySet<string>;
      logger: Logger;
    },
  ) {}

  private context(): TicketWorkContext {
    return {
      data: new PlanningData(this.deps.repositories),
      now: this.deps.clock.now(),
      actor: this.system,
      logger: this.deps.logger,
      dispatch: {},
      throttle: this.throttle,
    };
  }

  private work(ticket: { deviceId: string; failureMode: string }) {
    const model = this.deps.models.get(ticket.deviceId)!;
    return requiredWork({ deviceId: ticket.deviceId, model, failureMode: ticket.failureMode });
  }

  /**
   * A device stopped working: open predictive work on that component is too late (cancelled and
   * judged late), and the customer's call opens a corrective ticket that the automation plans.
   */
  async deviceFailed(failure: GroundTruthRecord, at: number): Promise<void> {
    const { db, repositories, ledger } = this.deps;
    ledger.failureHappened(failure);
    const pending = await db
      .selectFrom('tickets')
      .selectAll()
      .where('device_id', '=', failure.deviceId)
      .where('component', '=', failure.component)
      .where('kind', '!=', 'corrective')
      .where('status', 'in', ['open', 'scheduled'])
      .execute();
    for (const row of pending) {
      this.deps.ledger.ticketRow(row);
      await repositories.tickets.transition(
        row.id,
        { to: 'cancelled', reason: 'the device failed before the visit; a corrective ticket takes over' },
        this.system,
      );
      ledger.judge(row.id, 'late');
    }
    const mode = failureMode(failure.model, failure.failureMode)!;
    const ticket = await repositories.tickets.create(
      {
        kind: 'corrective',
        deviceId: failure.deviceId,
        description: `The customer reports the ${mode.label.toLowerCase()}: the ${mode.component.replaceAll('_', ' ')} stopped working.`,
        priority: 'high',
        failureMode: failure.failureMode,
      },
      this.caller,
    );
    ledger.ticket({
      id: ticket.id,
      kind: 'corrective',
      deviceId: ticket.deviceId,
      failureMode: ticket.failureMode,
      createdAt: ticket.createdAt,
    });
    await planCorrectiveTicket(this.context(), ticket, at);
  }

  /** Corrective tickets still without a technician are planned again (at most hourly per ticket). */
  async replanUnassigned(at: number): Promise<void> {
    for (const ticket of await this.deps.repositories.tickets.openCorrectiveWithoutTechnician())
      await planCorrectiveTicket(this.context(), ticket, at);
  }

  /**
   * Everything due in (from, to]: transfers arriving and visits starting, in time order, each at its
   * own time. Runs before the fleet steps to `to`, so a repair lands before a failure the hour holds.
   */
  async runDue(from: number, to: number): Promise<void> {
    const { db, clock } = this.deps;
    const transfers = await db
      .selectFrom('stock_transfers')
      .select(['id', 'eta_at'])
      .where('status', '=', 'in_transit')
      .where('eta_at', '<=', to)
      .orderBy('eta_at')
      .orderBy('created_at')
      .execute();
    const visits = await loadScheduled(db, to);
    const due = this.verdicts.filter((v) => v.at <= to);
    this.verdicts = this.verdicts.filter((v) => v.at > to);
    const events = [
      ...due.map((v) => ({ at: Math.max(v.at, from), transfer: null, visit: null, verdict: v })),
      ...transfers.map((t) => ({ at: Math.max(t.eta_at, from), transfer: t.id, visit: null, verdict: null })),
      ...visits.map((v) => ({
        at: Math.max(v.appointment_start!, from),
        transfer: null,
        visit: v,
        verdict: null,
      })),
    ].sort((a, b) => a.at - b.at || rank(a) - rank(b));
    for (const event of events) {
      clock.set(event.at);
      if (event.verdict) await this.verify(event.verdict);
      else if (event.transfer) await this.deps.repositories.transfers.markTransferArrived(event.transfer);
      // A visit planned again by an earlier event of this hour is taken from the database afresh.
      else if (event.visit) {
        const row = await db
          .selectFrom('tickets')
          .selectAll()
          .where('id', '=', event.visit.id)
          .executeTakeFirst();
        if (row?.status === 'scheduled' && row.appointment_start! <= to) await this.visit(row, event.at);
      }
    }
  }

  /** The reservation holding the part in the technician's hands at `at`, if there is one. */
  private async partInHand(ticketId: string, sku: string, at: number) {
    const { items } = await this.deps.repositories.stock.listReservations({
      ticketId,
      status: 'reserved',
      limit: 100,
      offset: 0,
    });
    return (
      items.find(
        (r) =>
          r.sku === sku &&
          (!this.deps.warehouseIds.has(r.locationId) || r.createdAt + warehouseDeliveryMs <= at),
      ) ?? null
    );
  }

  /** When the part will be in hand at the earliest: the warehouse's delivery, a transfer's ETA, or now. */
  private async partReadyAt(ticketId: string, sku: string, at: number): Promise<number> {
    const { stock, transfers } = this.deps.repositories;
    const [held, moving] = await Promise.all([
      stock.listReservations({ ticketId, status: 'reserved', limit: 100, offset: 0 }),
      transfers.listTransfers({ ticketId, status: 'in_transit', limit: 100, offset: 0 }),
    ]);
    const times = [
      ...held.items.filter((r) => r.sku === sku).map((r) => r.createdAt + warehouseDeliveryMs),
      ...moving.items.filter((t) => t.sku === sku).map((t) => t.etaAt),
    ];
    return times.length > 0 ? Math.max(at, Math.min(...times)) : at;
  }

  private async visit(row: TicketRow, at: number): Promise<void> {
    const { repositories, ledger } = this.deps;
    const model = this.deps.models.get(row.device_id)!;
    const mode = row.failure_mode ? failureMode(model, row.failure_mode) : undefined;
    const sku = mode?.part ?? null;
    const reservation = sku ? await this.partInHand(row.id, sku, at) : null;
    const first = !ledger.hasVisited(row.id);
    const position = (await new PlanningData(repositories).positionOf({
      siteId: row.site_id,
      deviceId: row.device_id,
    }))!;
    this.deps.ledger.ticketRow(row);
    const { byRouteFill, ...booked } = await this.lastPlanning(row);
    // Predictive work that waited for the route fill: held from its ticket's opening (the window it was
    // free to go in), placed by the fill or released to the normal dispatch after the days it may wait.
    const heldPredictive = first && row.kind === 'predictive' && byRouteFill;
    const planned = heldPredictive
      ? { ...booked, within: heldPredictiveWindow({ createdAt: row.created_at, slaDueAt: row.sla_due_at }) }
      : booked;
    ledger.visit({
      ticketId: row.id,
      kind: row.kind,
      technicianId: row.technician_id!,
      start: row.appointment_start!,
      end: row.appointment_end!,
      position,
      skill: row.required_skill,
      certificationRequired: mode?.certificationRequired ?? false,
      slaDueAt: row.sla_due_at,
      planned,
      priority: rankOfTicketPriority[row.priority],
      first,
      // AMC visits, and predictive work that waited for the route fill and was given its day there.
      fitsRoutes: (first && row.kind === 'amc_visit' && row.failure_mode === null) || heldPredictive,
      ...(heldPredictive ? { releaseAt: row.created_at + ROUTE_FILL_RELEASE_DAYS * DAY_MS } : {}),
      partInHand: sku === null || reservation !== null,
      needsPart: sku !== null,
    });
    if (sku !== null && reservation === null) {
      await this.planSecondVisit(row, sku, at);
      return;
    }
    const technician: Actor = {
      id: `system:technician-${row.technician_id}`,
      role: 'technician',
      customerId: null,
      technicianId: row.technician_id,
    };
    const tickets = repositories.tickets;
    await tickets.transition(row.id, { to: 'dispatched' }, this.system);
    await tickets.transition(row.id, { to: 'on_site' }, technician);
    // The technician notes the serial of the part taken out: parts that go back to the manufacturer need it.
    if (reservation)
      await tickets.recordPartUsed(
        row.id,
        { reservationId: reservation.id, removedSerial: `RM-${row.id.slice(0, 8)}` },
        technician,
      );
    const outcome = this.repair(row, mode?.id ?? null, at);
    this.lastService.set(row.device_id, at);
    await tickets.transition(row.id, { to: 'resolved', reason: resolution[outcome] }, technician);
    ledger.judge(row.id, outcome);
    const fixed = outcome !== 'false' && outcome !== 'maintenance';
    this.verdicts.push({ at: at + (fixed ? verifiedAfterMs : flaggedAfterMs), ticketId: row.id, fixed });
  }

  /**
   * When the dispatch planner gave this visit its appointment and the window it chose in, from the
   * ticket's last assignment in the audit log (the appointment itself when no window was recorded).
   */
  private async lastPlanning(row: TicketRow): Promise<VisitRecord['planned'] & { byRouteFill: boolean }> {
    const entry = await this.deps.db
      .selectFrom('ticket_audit')
      .select(['at', 'data', 'actor'])
      .where('ticket_id', '=', row.id)
      .where('action', 'in', ['assigned', 'reassigned'])
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    const within = entry?.data ? plannedWithinSchema.safeParse(JSON.parse(entry.data)) : null;
    return {
      at: entry?.at ?? row.created_at,
      byRouteFill: entry?.actor === routeFillActor.id || entry?.actor === routeFillReleaseActor.id,
      within: within?.success
        ? within.data.plannedWithin
        : { start: row.appointment_start!, end: row.appointment_end! },
    };
  }

  /** The verifier's verdict on a resolved ticket, then its closing: the device × component is free again. */
  private async verify(verdict: { ticketId: string; fixed: boolean }): Promise<void> {
    const tickets = this.deps.repositories.tickets;
    if (verdict.fixed) {
      await tickets.transition(
        verdict.ticketId,
        { to: 'verified', reason: 'the degraded metrics recovered' },
        this.system,
      );
      await tickets.transition(verdict.ticketId, { to: 'closed' }, this.system);
    } else {
      await tickets.transition(
        verdict.ticketId,
        { to: 'flagged_for_review', reason: 'nothing measurable changed after the visit' },
        this.system,
      );
      await tickets.transition(
        verdict.ticketId,
        { to: 'closed', reason: 'reviewed: no fault found on the visit' },
        this.planner,
      );
    }
  }

  /** Repairs what the ticket names on the simulated device and says what the visit found. */
  private repair(row: TicketRow, mode: string | null, at: number): TicketOutcome {
    const { fleet, ledger, models } = this.deps;
    if (mode === null) return 'maintenance';
    const { cleared } = fleet.repair(row.device_id, at, { failureModes: [mode] });
    // A failure since the last step (its ground truth will never be emitted now) is booked as happened.
    ledger.cleared({ deviceId: row.device_id, model: models.get(row.device_id)! }, cleared, {
      id: row.id,
      kind: row.kind,
      createdAt: row.created_at,
    });
    if (row.kind === 'corrective') return 'repaired';
    if (cleared.some((c) => c.prevented)) return 'caught';
    // The remote fix cleared it before anyone came (the risk had not yet fallen far enough to call
    // the visit off): the prediction was right, as the ledger already says.
    if (ledger.tickets.get(row.id)?.outcome === 'caught') return 'caught';
    return cleared.length > 0 ? 'late' : 'false';
  }

  /** No part in hand: the technician could not fix it; a second visit once the part is there. */
  private async planSecondVisit(row: TicketRow, sku: string, at: number): Promise<void> {
    const { repositories } = this.deps;
    const reopened = await repositories.tickets.transition(
      row.id,
      { to: 'open', reason: `part ${sku} was not in hand on the visit: a second visit once it is` },
      this.system,
    );
    const ready = await this.partReadyAt(row.id, sku, at);
    const window: TimeWindow = {
      start: Math.max(at + 4 * HOUR_MS, ready + HOUR_MS),
      end: Math.max(at, ready) + planAheadDays * DAY_MS,
    };
    this.throttle.allow(row.id);
    await ensureTicketWork(
      this.context(),
      reopened,
      this.work({ ...reopened, failureMode: row.failure_mode! }),
      window,
    );
  }

  /** Open work per device × component: kept risks must reach the automation, broken devices' must not. */
  async openPairs(): Promise<{ predictive: Set<string>; broken: Set<string> }> {
    const rows = await this.deps.db
      .selectFrom('tickets')
      .select(['device_id', 'component', 'kind', 'open_key'])
      .where('status', 'in', [...activeStatuses])
      .where('component', 'is not', null)
      .execute();
    const predictive = new Set<string>();
    const broken = new Set<string>();
    for (const r of rows) {
      const key = `${r.device_id}|${r.component}`;
      if (r.kind === 'corrective') broken.add(key);
      else if (r.open_key !== null) predictive.add(key);
    }
    return { predictive, broken };
  }

  /** Predictive tickets by fate, from the database: opened, cancelled by the risk policy, still pending. */
  async predictiveCounts(): Promise<{ opened: number; cancelledByPolicy: number; pending: number }> {
    const rows = await this.deps.db
      .selectFrom('tickets')
      .select(['id', 'status'])
      .where('failure_mode', 'is not', null)
      .where('kind', '!=', 'corrective')
      .execute();
    const judged = this.deps.ledger.tickets;
    return {
      opened: rows.length,
      cancelledByPolicy: rows.filter((r) => r.status === 'cancelled' && judged.get(r.id)?.outcome !== 'late')
        .length,
      pending: rows.filter((r) => (activeStatuses as readonly string[]).includes(r.status)).length,
    };
  }
}

const plannedWithinSchema = z.object({
  plannedWithin: z.object({ start: z.number(), end: z.number() }),
});

/** Within one time: verdicts, then deliveries, then visits (a part arriving at the start is in hand). */
const rank = (e: { verdict: unknown; transfer: unknown }) => (e.verdict ? 0 : e.transfer ? 1 : 2);

const resolution: Record<TicketOutcome, string> = {
  caught: 'developing failure found and repaired before it failed',
  false: 'inspected: the predicted failure is not developing, nothing to repair',
  late: 'the component had already failed: repaired',
  repaired: 'failed component repaired',
  maintenance: 'maintenance visit done',
};
