import {
  ConflictError,
  type ContractVisit,
  type ContractVisitStatus,
  NotFoundError,
  type Page,
  type Ticket,
  ValidationError,
} from '@aftercare/core';
import type { Selectable } from 'kysely';
import type { ServiceDatabase } from '../db/database.ts';
import { newId, toCount } from '../db/query-helpers.ts';
import type { ContractVisitsTable } from '../db/tables.ts';
import type { EventBus } from '../events/event-bus.ts';
import { type Actor, systemActor } from '../principal.ts';
import { ticketEvent, toTicket } from '../tickets/ticket-rows.ts';
import { insertTicket } from '../tickets/ticket-writes.ts';

export interface VisitFilter {
  contractId?: string | undefined;
  deviceId?: string | undefined;
  status?: ContractVisitStatus | undefined;
  /** Visits whose due window ends at or after this instant. */
  dueFrom?: number | undefined;
  /** Visits whose due window starts before this instant. */
  dueTo?: number | undefined;
  customerId?: string | undefined;
}

function toVisit(row: Selectable<ContractVisitsTable>): ContractVisit {
  return {
    id: row.id,
    contractId: row.contract_id,
    deviceId: row.device_id,
    dueFrom: row.due_from,
    dueTo: row.due_to,
    status: row.status,
    ticketId: row.ticket_id,
    createdAt: row.created_at,
  };
}

/**
 * The visits AMC contracts entitle: planned by the schedule (idempotently), carried out by the
 * amc_visit tickets opened for them, marked missed when their window passes without one.
 */
export class ContractVisitRepository {
  private readonly clock: () => number;

  constructor(
    private readonly db: ServiceDatabase,
    private readonly options: { clock?: () => number; events?: EventBus } = {},
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /**
   * Records visits the schedule planned. Planning the same visit again (same contract, device and
   * window start) finds the one already there, so the scheduler can run as often as it likes.
   */
  async planVisits(
    contractId: string,
    visits: readonly { deviceId: string; dueFrom: number; dueTo: number }[],
  ): Promise<ContractVisit[]> {
    const contract = await this.db
      .selectFrom('contracts')
      .select('id')
      .where('id', '=', contractId)
      .executeTakeFirst();
    if (!contract) throw new NotFoundError('contract', contractId);
    const covered = (
      await this.db
        .selectFrom('contract_devices')
        .select('device_id')
        .where('contract_id', '=', contractId)
        .execute()
    ).map((d) => d.device_id);
    for (const visit of visits) {
      if (!covered.includes(visit.deviceId))
        throw new ValidationError(
          `visits.deviceId: device ${visit.deviceId} is not covered by contract ${contractId}`,
        );
    }
    const now = this.clock();
    await this.db.transaction().execute(async (trx) => {
      for (const visit of visits) {
        await trx
          .insertInto('contract_visits')
          .values({
            id: newId(),
            contract_id: contractId,
            device_id: visit.deviceId,
            due_from: visit.dueFrom,
            due_to: visit.dueTo,
            status: 'planned',
            ticket_id: null,
            created_at: now,
          })
          .onConflict((oc) => oc.columns(['contract_id', 'device_id', 'due_from']).doNothing())
          .execute();
      }
    });
    const rows = await this.db
      .selectFrom('contract_visits')
      .selectAll()
      .where('contract_id', '=', contractId)
      .where((eb) =>
        eb.or(visits.map((v) => eb.and([eb('device_id', '=', v.deviceId), eb('due_from', '=', v.dueFrom)]))),
      )
      .orderBy('due_from')
      .orderBy('device_id')
      .execute();
    return rows.map(toVisit);
  }

  async getVisit(id: string): Promise<ContractVisit | null> {
    const row = await this.db
      .selectFrom('contract_visits')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toVisit(row) : null;
  }

  async listVisits(filter: VisitFilter & { limit: number; offset: number }): Promise<Page<ContractVisit>> {
    let query = this.db.selectFrom('contract_visits');
    if (filter.contractId !== undefined)
      query = query.where('contract_visits.contract_id', '=', filter.contractId);
    if (filter.deviceId !== undefined) query = query.where('contract_visits.device_id', '=', filter.deviceId);
    if (filter.status !== undefined) query = query.where('contract_visits.status', '=', filter.status);
    if (filter.dueFrom !== undefined) query = query.where('contract_visits.due_to', '>=', filter.dueFrom);
    if (filter.dueTo !== undefined) query = query.where('contract_visits.due_from', '<', filter.dueTo);
    if (filter.customerId !== undefined) {
      const customerId = filter.customerId;
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('contracts')
            .select('contracts.id')
            .whereRef('contracts.id', '=', 'contract_visits.contract_id')
            .where('contracts.customer_id', '=', customerId),
        ),
      );
    }
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy('due_from').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirst(),
    ]);
    return { items: rows.map(toVisit), total: toCount(count), limit: filter.limit, offset: filter.offset };
  }

  /** Opens the amc_visit ticket that carries out a planned visit; the visit becomes scheduled. */
  async openVisitTicket(visitId: string, actor: Actor = systemActor('amc-scheduler')): Promise<Ticket> {
    const now = this.clock();
    const row = await this.db.transaction().execute(async (trx) => {
      const visit = await trx
        .selectFrom('contract_visits')
        .selectAll()
        .where('id', '=', visitId)
        .executeTakeFirst();
      if (!visit) throw new NotFoundError('contract visit', visitId);
      if (visit.status !== 'planned' || visit.ticket_id !== null)
        throw new ConflictError(
          `contract visit ${visitId} is ${visit.status}: it already has a ticket or is over`,
        );
      const ticket = await insertTicket(
        trx,
        {
          kind: 'amc_visit',
          deviceId: visit.device_id,
          description: `AMC maintenance visit, contract ${visit.contract_id}`,
          slaDueAt: visit.due_to,
        },
        actor,
        now,
      );
      const flipped = await trx
        .updateTable('contract_visits')
        .set({ status: 'scheduled', ticket_id: ticket.id })
        .where('id', '=', visitId)
        .where('status', '=', 'planned')
        .executeTakeFirst();
      if (flipped.numUpdatedRows === 0n)
        throw new ConflictError(`contract visit ${visitId} changed meanwhile`);
      return ticket;
    });
    this.options.events?.publish(ticketEvent(row, 'opened', null));
    return toTicket(row);
  }

  /** Marks planned visits whose window has passed without a ticket as missed; returns how many. */
  async markMissedVisits(at: number = this.clock()): Promise<number> {
    const result = await this.db
      .updateTable('contract_visits')
      .set({ status: 'missed' })
      .where('status', '=', 'planned')
      .where('due_to', '<', at)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
