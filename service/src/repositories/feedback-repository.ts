import {
  ConflictError,
  type Feedback,
  type GiveFeedbackBody,
  type ListedFeedback,
  NotFoundError,
  type Page,
  ValidationError,
  type WarrantyClaim,
  type WarrantyClaimStatus,
} from '@aftercare/core';
import type { Selectable } from 'kysely';
import type { ServiceDatabase } from '../db/database.ts';
import { readPage } from '../db/page-query.ts';
import { flag, isSet, newId } from '../db/query-helpers.ts';
import type { FeedbackTable, WarrantyClaimsTable } from '../db/tables.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import { actorNames } from '../tickets/actor-names.ts';

function toFeedback(row: Selectable<FeedbackTable>, names: ReadonlyMap<string, string>): Feedback {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    customerId: row.customer_id,
    csat: row.csat,
    nps: row.nps,
    comment: row.comment,
    complaint: isSet(row.complaint),
    complaintResolvedAt: row.complaint_resolved_at,
    complaintResolution: row.complaint_resolution,
    complaintResolvedBy:
      row.complaint_resolved_by === null ? null : resolverName(row.complaint_resolved_by, names),
    createdAt: row.created_at,
  };
}

const noNames: ReadonlyMap<string, string> = new Map();

/** A desk reads who closed a complaint: the person or token by name, else what acted ("the service desk"). */
function resolverName(actor: string, names: ReadonlyMap<string, string>): string | null {
  const named = names.get(actor);
  if (named !== undefined) return named;
  if (actor === 'admin') return 'an administrator';
  if (actor.startsWith('system:')) return `the ${actor.slice('system:'.length).replace(/[-_]/g, ' ')}`;
  return null;
}

function toClaim(row: Selectable<WarrantyClaimsTable>): WarrantyClaim {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    deviceId: row.device_id,
    coverage: row.coverage,
    contractId: row.contract_id,
    partsCents: row.parts_cents,
    labourCents: row.labour_cents,
    status: row.status,
    decisionNote: row.decision_note,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
  };
}

/** Customers' verdicts on closed tickets, and the warranty and AMC claims for covered work. */
export class FeedbackRepository {
  constructor(
    private readonly db: ServiceDatabase,
    private readonly clock: () => number = Date.now,
  ) {}

  /** One verdict per ticket, given by the ticket's customer once the ticket is closed. */
  async give(ticketId: string, customerId: string, input: GiveFeedbackBody): Promise<Feedback> {
    const ticket = await this.db
      .selectFrom('tickets')
      .select(['id', 'status', 'customer_id'])
      .where('id', '=', ticketId)
      .executeTakeFirst();
    if (!ticket || ticket.customer_id !== customerId) throw new NotFoundError('ticket', ticketId);
    if (ticket.status !== 'closed')
      throw new ConflictError(`the ticket is ${ticket.status}: feedback is given once it is closed`);
    const row: Selectable<FeedbackTable> = {
      id: newId(),
      ticket_id: ticketId,
      customer_id: customerId,
      csat: input.csat,
      nps: input.nps,
      comment: input.comment ?? null,
      complaint: flag(input.complaint),
      complaint_resolved_at: null,
      complaint_resolution: null,
      complaint_resolved_by: null,
      created_at: this.clock(),
    };
    try {
      await this.db.insertInto('feedback').values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`ticket ${ticketId} already has feedback`);
      throw err;
    }
    return toFeedback(row, noNames);
  }

  async forTicket(ticketId: string): Promise<Feedback | null> {
    const row = await this.db
      .selectFrom('feedback')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .executeTakeFirst();
    return row ? toFeedback(row, await this.resolverNames([row])) : null;
  }

  /**
   * Feedback with its job and customer, newest first (or oldest first, for working through open
   * complaints); closed complaints (`resolved: true`) by when they were closed. `resolved` keeps
   * complaints only, open or closed.
   */
  async list(filter: {
    customerId?: string | undefined;
    complaint?: boolean | undefined;
    resolved?: boolean | undefined;
    resolvedFrom?: number | undefined;
    commented?: boolean | undefined;
    dir?: 'asc' | 'desc' | undefined;
    limit: number;
    offset: number;
  }): Promise<Page<ListedFeedback>> {
    let query = this.db.selectFrom('feedback');
    if (filter.customerId !== undefined) query = query.where('feedback.customer_id', '=', filter.customerId);
    if (filter.complaint !== undefined) query = query.where('complaint', '=', flag(filter.complaint));
    if (filter.resolved !== undefined)
      query = query
        .where('complaint', '=', flag(true))
        .where('complaint_resolved_at', filter.resolved ? 'is not' : 'is', null);
    if (filter.resolvedFrom !== undefined)
      query = query
        .where('complaint', '=', flag(true))
        .where('complaint_resolved_at', '>=', filter.resolvedFrom);
    if (filter.commented === true) query = query.where('comment', 'is not', null);
    if (filter.commented === false) query = query.where('comment', 'is', null);
    const dir = filter.dir ?? 'desc';
    const [rows, count] = await Promise.all([
      query
        .innerJoin('tickets', 'tickets.id', 'feedback.ticket_id')
        .leftJoin('customers', 'customers.id', 'feedback.customer_id')
        .selectAll('feedback')
        .select([
          'tickets.title as ticket_title',
          'tickets.device_id as ticket_device_id',
          'tickets.resolved_at as ticket_resolved_at',
          'customers.name as customer_name',
        ])
        // Closed complaints in the order they were closed: the desk's "closed lately".
        .orderBy(
          filter.resolved === true || filter.resolvedFrom !== undefined
            ? 'feedback.complaint_resolved_at'
            : 'feedback.created_at',
          dir,
        )
        .orderBy('feedback.id', dir)
        .limit(filter.limit)
        .offset(filter.offset)
        .execute(),
      query.select((eb) => eb.fn.countAll<number | bigint>().as('n')).executeTakeFirstOrThrow(),
    ]);
    const names = await this.resolverNames(rows);
    return {
      items: rows.map((r) => ({
        ...toFeedback(r, names),
        ticketTitle: r.ticket_title,
        deviceId: r.ticket_device_id,
        customerName: r.customer_name,
        ticketResolvedAt: r.ticket_resolved_at,
      })),
      total: Number(count.n),
      limit: filter.limit,
      offset: filter.offset,
    };
  }

  /**
   * Closes a complaint with what was done about it and who did it; the time from the feedback to here
   * is the complaint resolution time. Closing one already closed is refused, not rewritten: the first
   * account of what was done stands.
   */
  async resolveComplaint(feedbackId: string, resolution: string, actor: string): Promise<Feedback> {
    const row = await this.db
      .selectFrom('feedback')
      .selectAll()
      .where('id', '=', feedbackId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('feedback', feedbackId);
    if (!isSet(row.complaint)) throw new ConflictError(`feedback ${feedbackId} is not a complaint`);
    const done = await this.db
      .updateTable('feedback')
      .set({
        complaint_resolved_at: this.clock(),
        complaint_resolution: resolution,
        complaint_resolved_by: actor,
      })
      .where('id', '=', feedbackId)
      .where('complaint_resolved_at', 'is', null)
      .executeTakeFirst();
    if (done.numUpdatedRows === 0n)
      throw new ConflictError(`the complaint of feedback ${feedbackId} is already resolved`);
    const updated = await this.db
      .selectFrom('feedback')
      .selectAll()
      .where('id', '=', feedbackId)
      .executeTakeFirstOrThrow();
    return toFeedback(updated, await this.resolverNames([updated]));
  }

  private resolverNames(rows: readonly { complaint_resolved_by: string | null }[]) {
    return actorNames(
      this.db,
      rows.flatMap((r) => (r.complaint_resolved_by === null ? [] : [r.complaint_resolved_by])),
    );
  }

  /**
   * Files the claim for a resolved ticket that the warranty or an AMC covers: parts are priced from
   * the catalogue and what was used on the job (when the coverage includes parts); labour as given
   * (when it includes labour).
   */
  async fileClaim(ticketId: string, labourCents: number): Promise<WarrantyClaim> {
    const ticket = await this.db
      .selectFrom('tickets')
      .selectAll()
      .where('id', '=', ticketId)
      .executeTakeFirst();
    if (!ticket) throw new NotFoundError('ticket', ticketId);
    if (ticket.coverage === 'chargeable')
      throw new ConflictError(
        `ticket ${ticketId} is chargeable: the customer pays, there is nothing to claim`,
      );
    if (!['resolved', 'verified', 'closed', 'flagged_for_review'].includes(ticket.status))
      throw new ConflictError(`the ticket is ${ticket.status}: a claim is filed once the work is done`);
    let coversParts = true;
    let coversLabour = true;
    if (ticket.coverage === 'amc') {
      const plan = await this.db
        .selectFrom('contracts')
        .innerJoin('amc_plans', 'amc_plans.id', 'contracts.plan_id')
        .select(['amc_plans.covers_parts', 'amc_plans.covers_labour'])
        .where('contracts.id', '=', ticket.contract_id ?? '')
        .executeTakeFirst();
      if (!plan) throw new ConflictError(`ticket ${ticketId} names no contract to claim against`);
      coversParts = isSet(plan.covers_parts);
      coversLabour = isSet(plan.covers_labour);
    }
    if (!coversLabour && labourCents > 0)
      throw new ValidationError('labourCents: the contract does not cover labour; claim 0');
    const parts = await this.db
      .selectFrom('ticket_parts_used')
      .innerJoin('parts', 'parts.sku', 'ticket_parts_used.sku')
      .select(['ticket_parts_used.quantity', 'parts.price_cents'])
      .where('ticket_parts_used.ticket_id', '=', ticketId)
      .execute();
    const row: Selectable<WarrantyClaimsTable> = {
      id: newId(),
      ticket_id: ticketId,
      device_id: ticket.device_id,
      coverage: ticket.coverage,
      contract_id: ticket.contract_id,
      parts_cents: coversParts ? parts.reduce((sum, p) => sum + p.quantity * p.price_cents, 0) : 0,
      labour_cents: labourCents,
      status: 'submitted',
      decision_note: null,
      created_at: this.clock(),
      decided_at: null,
    };
    try {
      await this.db.insertInto('warranty_claims').values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`ticket ${ticketId} already has a claim`);
      throw err;
    }
    return toClaim(row);
  }

  async decideClaim(id: string, status: 'approved' | 'rejected', note?: string): Promise<WarrantyClaim> {
    const result = await this.db
      .updateTable('warranty_claims')
      .set({ status, decision_note: note ?? null, decided_at: this.clock() })
      .where('id', '=', id)
      .where('status', '=', 'submitted')
      .executeTakeFirst();
    const row = await this.db
      .selectFrom('warranty_claims')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('warranty claim', id);
    if (result.numUpdatedRows === 0n)
      throw new ConflictError(`warranty claim ${id} is already ${row.status}`);
    return toClaim(row);
  }

  async listClaims(filter: {
    status?: WarrantyClaimStatus | undefined;
    limit: number;
    offset: number;
  }): Promise<Page<WarrantyClaim>> {
    let query = this.db.selectFrom('warranty_claims');
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    return readPage(query, { by: 'created_at', direction: 'desc' }, filter, toClaim);
  }
}
