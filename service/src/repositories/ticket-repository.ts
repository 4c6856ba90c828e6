import {
  APPOINTMENT_MINUTES,
  type Appointment,
  type AuditEntry,
  ConflictError,
  NotFoundError,
  notBegunStatuses,
  type Page,
  type PartUsed,
  slotBookingActions,
  slotNamed,
  type TechnicianVisit,
  type Ticket,
  type TicketDetail,
  type TicketKind,
  type TicketPriority,
  type TicketStatus,
  technicianNamed,
  ValidationError,
} from '@aftercare/core';
import type { ServiceDatabase } from '../db/database.ts';
import { newId, toCount } from '../db/query-helpers.ts';
import { ForbiddenError, InvalidTransitionError, StaleVersionError } from '../errors.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { Actor } from '../principal.ts';
import { toPartUsed, toReservation, toTransfer } from '../stock/stock-operations.ts';
import { actorNames } from '../tickets/actor-names.ts';
import { assertNoClash, bookedVisits } from '../tickets/technician-visits.ts';
import { activeStatuses, decideTransition } from '../tickets/ticket-lifecycle.ts';
import { orderTickets, type TicketOrder } from '../tickets/ticket-order.ts';
import { type PartUsedInput, recordPartUsed } from '../tickets/ticket-parts.ts';
import { parseAuditData, toAuditEntry, toNote, toTicket } from '../tickets/ticket-rows.ts';
import {
  applyTicketChange,
  assertAssignable,
  type Db,
  insertTicket,
  loadTicket,
  type NewTicket,
  type TicketChange,
} from '../tickets/ticket-writes.ts';
import { startRefusal } from '../tickets/visit-start.ts';
import { type VisitLogStep, type VisitMade, visitsMade } from '../tickets/visits-made.ts';

/** Whose tickets a caller may see: a customer its own, a technician the jobs assigned to it. */
export interface TicketScope {
  customerId?: string | undefined;
  technicianId?: string | undefined;
}

export interface TicketFilter extends TicketScope {
  status?: TicketStatus[] | undefined;
  kind?: TicketKind | undefined;
  deviceId?: string | undefined;
  priority?: TicketPriority | undefined;
  createdFrom?: number | undefined;
  createdTo?: number | undefined;
  /** Only tickets whose appointment overlaps [appointmentFrom, appointmentTo). */
  appointmentFrom?: number | undefined;
  appointmentTo?: number | undefined;
}

export type { TicketOrder };

export interface TransitionInput {
  to: TicketStatus;
  reason?: string | undefined;
  /** The version the caller saw (optimistic concurrency); a newer ticket fails with 409. */
  expectedVersion?: number | undefined;
  technicianId?: string | undefined;
  appointment?: Appointment | undefined;
  /** A person's booking: refuse a visit that overlaps another of the technician's elsewhere (409). */
  refuseClashes?: boolean | undefined;
}

export interface TicketRepositoryOptions {
  clock?: () => number;
  events?: EventBus;
}

/**
 * Work orders: opening them (coverage and SLA decided then), reading them with their history, and
 * changing them. Every change goes through one writer (`applyTicketChange`): the new state and its
 * audit entry in one transaction, conditional on the version read, announced on the event bus once
 * committed.
 */
export class TicketRepository {
  private readonly clock: () => number;

  constructor(
    private readonly db: ServiceDatabase,
    private readonly options: TicketRepositoryOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
  }

  async create(input: NewTicket, actor: Actor): Promise<Ticket> {
    const now = this.clock();
    const row = await this.db.transaction().execute(async (trx) => {
      // In the transaction that inserts: two reports sent at once must not both pass the check.
      if (actor.role === 'customer' && input.kind === 'corrective')
        await refuseWhileReported(trx, input.deviceId);
      return insertTicket(trx, input, actor, now);
    });
    this.options.events?.publish({
      type: 'ticket.changed',
      ticketId: row.id,
      kind: row.kind,
      action: 'opened',
      status: row.status,
      previousStatus: null,
      version: row.version,
      deviceId: row.device_id,
      customerId: row.customer_id,
      technicianId: row.technician_id,
      at: now,
    });
    return toTicket(row);
  }

  async get(id: string, scope: TicketScope = {}): Promise<Ticket | null> {
    const row = await this.scoped(scope).selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toTicket(row) : null;
  }

  /** A technician's booked visits that overlap [from, to), earliest first, with their sites. */
  async bookedVisits(technicianId: string, span: { from: number; to: number }): Promise<TechnicianVisit[]> {
    return bookedVisits(this.db, technicianId, span);
  }

  /** Reported problems nobody holds yet, oldest first: the corrective dispatch's queue. */
  async openCorrectiveWithoutTechnician(): Promise<Ticket[]> {
    const rows = await this.db
      .selectFrom('tickets')
      .selectAll()
      .where('kind', '=', 'corrective')
      .where('status', '=', 'open')
      .where('technician_id', 'is', null)
      .orderBy('created_at')
      .execute();
    return rows.map(toTicket);
  }

  /** A ticket the scope may see, or NotFoundError exactly as for a missing one (ids do not leak). */
  async getVisible(id: string, scope: TicketScope): Promise<Ticket> {
    const ticket = await this.get(id, scope);
    if (ticket === null) throw new NotFoundError('ticket', id);
    return ticket;
  }

  /**
   * The visits begun in [from, to), each with its ticket and the technician booked for it then
   * (`visitsMade`): found by the arrival on site in the audit log, whatever the ticket's appointment or
   * technician became since (reopened and booked again, say).
   */
  async visitsBegun(from: number, to: number): Promise<{ ticketId: string; visit: VisitMade }[]> {
    const arrivals = await this.db
      .selectFrom('ticket_audit')
      .select('ticket_id')
      .distinct()
      .where('at', '>=', from)
      .where('at', '<', to)
      .where('to_status', '=', 'on_site')
      .where('from_status', '!=', 'on_site')
      .execute();
    if (arrivals.length === 0) return [];
    const rows = await this.db
      .selectFrom('ticket_audit')
      .select([
        'ticket_id',
        'at',
        'action',
        'from_status',
        'to_status',
        // Only a booking's data is read (whom it names): a predictive ticket's evidence is large.
        (eb) =>
          eb
            .case()
            .when('action', 'in', [...slotBookingActions])
            .then(eb.ref('data'))
            .else(null)
            .end()
            .as('data'),
      ])
      .where(
        'ticket_id',
        'in',
        arrivals.map((a) => a.ticket_id),
      )
      .orderBy('ticket_id')
      .orderBy('version')
      .execute();
    const steps = new Map<string, VisitLogStep[]>();
    for (const r of rows) {
      const own = steps.get(r.ticket_id) ?? [];
      const data = parseAuditData(r.data);
      own.push({
        at: Number(r.at),
        action: r.action,
        fromStatus: r.from_status,
        toStatus: r.to_status,
        technicianId: technicianNamed(data),
        slot: slotNamed(data),
      });
      steps.set(r.ticket_id, own);
    }
    return [...steps].flatMap(([ticketId, own]) =>
      visitsMade(own)
        .filter((visit) => visit.start >= from && visit.start < to)
        .map((visit) => ({ ticketId, visit })),
    );
  }

  /** The audit entry that left the ticket at `version`; null when there is none. */
  async auditEntry(id: string, version: number): Promise<AuditEntry | null> {
    const row = await this.db
      .selectFrom('ticket_audit')
      .selectAll()
      .where('ticket_id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return row ? toAuditEntry(row) : null;
  }

  async detail(id: string, scope: TicketScope = {}): Promise<TicketDetail> {
    const ticket = await this.getVisible(id, scope);
    const [reservations, transfers, partsUsed, notes, audit] = await Promise.all([
      this.db
        .selectFrom('stock_reservations')
        .selectAll()
        .where('ticket_id', '=', id)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
      this.db
        .selectFrom('stock_transfers')
        .selectAll()
        .where('ticket_id', '=', id)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
      this.db
        .selectFrom('ticket_parts_used')
        .selectAll()
        .where('ticket_id', '=', id)
        .orderBy('at')
        .orderBy('id')
        .execute(),
      this.db
        .selectFrom('ticket_notes')
        .selectAll()
        .where('ticket_id', '=', id)
        .orderBy('at')
        .orderBy('id')
        .execute(),
      this.db.selectFrom('ticket_audit').selectAll().where('ticket_id', '=', id).orderBy('version').execute(),
    ]);
    const names = await actorNames(this.db, [...audit.map((a) => a.actor), ...notes.map((n) => n.author)]);
    return {
      ...ticket,
      reservations: reservations.map(toReservation),
      transfers: transfers.map(toTransfer),
      partsUsed: partsUsed.map(toPartUsed),
      notes: notes.map((n) => ({ ...toNote(n), authorName: names.get(n.author) ?? null })),
      audit: audit.map((a) => ({ ...toAuditEntry(a), actorName: names.get(a.actor) ?? null })),
    };
  }

  /** Newest first, unless `order` says otherwise; ties broken by id so pages never overlap. */
  async list(
    filter: TicketFilter & { limit: number; offset: number; order?: TicketOrder | undefined },
  ): Promise<Page<Ticket>> {
    let query = this.scoped(filter);
    if (filter.status !== undefined && filter.status.length > 0)
      query = query.where('status', 'in', filter.status);
    if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
    if (filter.deviceId !== undefined) query = query.where('device_id', '=', filter.deviceId);
    if (filter.priority !== undefined) query = query.where('priority', '=', filter.priority);
    if (filter.createdFrom !== undefined) query = query.where('created_at', '>=', filter.createdFrom);
    if (filter.createdTo !== undefined) query = query.where('created_at', '<', filter.createdTo);
    // The start bound is implied by the end's (no visit is longer than APPOINTMENT_MINUTES.max) and
    // lets the appointment index find the range.
    if (filter.appointmentFrom !== undefined)
      query = query
        .where('appointment_start', '>', filter.appointmentFrom - APPOINTMENT_MINUTES.max * 60_000)
        .where('appointment_end', '>', filter.appointmentFrom);
    if (filter.appointmentTo !== undefined)
      query = query.where('appointment_start', '<', filter.appointmentTo);
    const [rows, count] = await Promise.all([
      orderTickets(query.selectAll(), filter.order ?? { by: 'created', dir: 'desc' })
        .limit(filter.limit)
        .offset(filter.offset)
        .execute(),
      query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirst(),
    ]);
    return { items: rows.map(toTicket), total: toCount(count), limit: filter.limit, offset: filter.offset };
  }

  /**
   * Moves a ticket along its lifecycle: whether the step exists, whether this actor may take it and
   * whether a reason is needed are the lifecycle's rules; scheduling needs a technician qualified for
   * the job and an appointment.
   */
  async transition(id: string, input: TransitionInput, actor: Actor): Promise<Ticket> {
    return this.change(id, actor, input.expectedVersion, async (trx, current, now) => {
      const decision = decideTransition({
        from: current.status,
        to: input.to,
        actor,
        reason: input.reason,
        ticket: { technicianId: current.technician_id, customerId: current.customer_id },
      });
      if (!decision.ok) {
        if (decision.code === 'INVALID_TRANSITION') throw new InvalidTransitionError(decision.message);
        if (decision.code === 'FORBIDDEN') throw new ForbiddenError(decision.message);
        throw new ValidationError(`reason: ${decision.message}`);
      }
      if (input.to === 'on_site') {
        const refusal = await startRefusal(trx, current, now);
        if (refusal !== null) throw new InvalidTransitionError(refusal);
      }
      const change: TicketChange = {
        action: decision.action,
        to: input.to,
        reason: input.reason,
        expectedVersion: input.expectedVersion,
      };
      if (input.to === 'scheduled') {
        const technicianId = input.technicianId ?? current.technician_id;
        const appointment =
          input.appointment ??
          (current.appointment_start !== null && current.appointment_end !== null
            ? { start: current.appointment_start, end: current.appointment_end }
            : undefined);
        if (technicianId === null) throw new ValidationError('technicianId: needed to schedule the ticket');
        if (appointment === undefined)
          throw new ValidationError('appointment: needed to schedule the ticket');
        await assertAssignable(trx, current, technicianId, appointment);
        if (input.refuseClashes) await assertNoClash(trx, current, technicianId, appointment);
        change.set = {
          technician_id: technicianId,
          appointment_start: appointment.start,
          appointment_end: appointment.end,
        };
        change.data = { technicianId, appointment };
      } else if (input.technicianId !== undefined || input.appointment !== undefined) {
        throw new ValidationError('technicianId: only given when scheduling; use the assignment to re-plan');
      }
      if (input.to === 'open') {
        change.set = { technician_id: null, appointment_start: null, appointment_end: null };
      }
      return change;
    });
  }

  /**
   * (Re)assigns a technician and appointment without the ticket leaving its place in the lifecycle,
   * as re-planning does. An open ticket becomes scheduled; a dispatched one goes back to scheduled,
   * since the new technician has not accepted it yet.
   */
  async assign(
    id: string,
    input: {
      technicianId: string;
      appointment: Appointment;
      reason?: string | undefined;
      expectedVersion?: number | undefined;
      /** The window the planner was free to choose the appointment in, kept in the audit entry. */
      plannedWithin?: Appointment | undefined;
      /**
       * A person's booking: refuse a visit that overlaps another of the technician's elsewhere (409).
       * The automation plans around what is booked, and a re-plan moves several jobs one at a time.
       */
      refuseClashes?: boolean | undefined;
    },
    actor: Actor,
  ): Promise<Ticket> {
    if (actor.role !== 'admin' && actor.role !== 'planner' && actor.role !== 'system')
      throw new ForbiddenError(`a ${actor.role} may not assign tickets`);
    return this.change(id, actor, input.expectedVersion, async (trx, current) => {
      if (!notBegunStatuses.includes(current.status))
        throw new InvalidTransitionError(`the ticket is ${current.status}: it can no longer be assigned`);
      await assertAssignable(trx, current, input.technicianId, input.appointment);
      if (input.refuseClashes) await assertNoClash(trx, current, input.technicianId, input.appointment);
      return {
        action: current.technician_id === null ? 'assigned' : 'reassigned',
        to: 'scheduled',
        reason: input.reason,
        expectedVersion: input.expectedVersion,
        set: {
          technician_id: input.technicianId,
          appointment_start: input.appointment.start,
          appointment_end: input.appointment.end,
        },
        data: {
          technicianId: input.technicianId,
          previousTechnicianId: current.technician_id,
          appointment: input.appointment,
          ...(input.plannedWithin ? { plannedWithin: input.plannedWithin } : {}),
        },
      };
    });
  }

  /**
   * A visit under way that will end later than booked: its appointment now ends at `end`, so that the
   * technician's day, the board and the next booking see them busy until then. The booked start, which
   * the visit's punctuality is judged against, stays as it was.
   */
  async extendVisit(
    id: string,
    input: { end: number; reason: string; expectedVersion?: number | undefined },
    actor: Actor,
  ): Promise<Ticket> {
    if (actor.role !== 'admin' && actor.role !== 'planner' && actor.role !== 'system')
      throw new ForbiddenError(`a ${actor.role} may not extend a visit`);
    return this.change(id, actor, input.expectedVersion, async (_trx, current) => {
      if (current.status !== 'on_site')
        throw new InvalidTransitionError(
          `the ticket is ${current.status.replace('_', ' ')}: only a visit under way can run late`,
        );
      const start = current.appointment_start;
      const end = current.appointment_end;
      if (start === null || end === null)
        throw new ValidationError('appointment: the visit under way has no booked slot to extend');
      if (input.end - start > APPOINTMENT_MINUTES.max * 60_000)
        throw new ValidationError(`end: a visit lasts at most ${APPOINTMENT_MINUTES.max / 60} h`, ['end']);
      if (input.end <= end)
        throw new ValidationError('end: must be after the booked end; an earlier end does not run late', [
          'end',
        ]);
      return {
        action: 'visit_extended',
        reason: input.reason,
        set: { appointment_end: input.end },
        data: { appointment: { start, end: input.end }, previousEnd: end },
      };
    });
  }

  async addNote(id: string, text: string, actor: Actor): Promise<Ticket> {
    return this.change(id, actor, undefined, async (trx, current) => {
      const noteId = newId();
      await trx
        .insertInto('ticket_notes')
        .values({
          id: noteId,
          ticket_id: current.id,
          at: this.clock(),
          author: actor.id,
          author_role: actor.role,
          text,
        })
        .execute();
      return { action: 'note_added', data: { noteId } };
    });
  }

  /**
   * Records a part fitted on the job, while the technician is on site: a reservation of the ticket
   * is consumed, or units are taken straight from a location (the van's stock).
   */
  async recordPartUsed(id: string, input: PartUsedInput, actor: Actor): Promise<PartUsed> {
    let used: PartUsed | undefined;
    await this.change(id, actor, undefined, async (trx, current) => {
      const recorded = await recordPartUsed(trx, current, input, actor, this.clock());
      used = recorded.used;
      return recorded.change;
    });
    return used!;
  }

  /**
   * Runs one change in a transaction through the single writer, then announces it. A caller acting
   * on a stale version hears so before anything else: what it wanted may no longer make sense.
   */
  private async change(
    id: string,
    actor: Actor,
    expectedVersion: number | undefined,
    plan: (trx: Db, current: Awaited<ReturnType<typeof loadTicket>>, now: number) => Promise<TicketChange>,
  ): Promise<Ticket> {
    const now = this.clock();
    const { row, event } = await this.db.transaction().execute(async (trx) => {
      const current = await loadTicket(trx, id);
      if (expectedVersion !== undefined && expectedVersion !== current.version)
        throw new StaleVersionError('ticket', id, expectedVersion);
      return applyTicketChange(trx, current, await plan(trx, current, now), actor, now);
    });
    this.options.events?.publish(event);
    return toTicket(row);
  }

  private scoped(scope: TicketScope) {
    let query = this.db.selectFrom('tickets');
    if (scope.customerId !== undefined) query = query.where('customer_id', '=', scope.customerId);
    if (scope.technicianId !== undefined) query = query.where('technician_id', '=', scope.technicianId);
    return query;
  }
}

/**
 * A customer's second report of a device whose last report is still being seen to would send a
 * second technician: refused, naming the ticket that has it.
 */
async function refuseWhileReported(trx: Parameters<typeof insertTicket>[0], deviceId: string): Promise<void> {
  const open = await trx
    .selectFrom('tickets')
    .select('id')
    .where('device_id', '=', deviceId)
    .where('kind', '=', 'corrective')
    .where('status', 'in', [...activeStatuses])
    .executeTakeFirst();
  if (open)
    throw new ConflictError(
      `deviceId: a problem with this device is already reported and being seen to (ticket ${open.id}); its visit is on that ticket`,
    );
}
