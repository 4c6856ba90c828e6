import {
  type AmcPlan,
  ConflictError,
  type Contract,
  type CreateAmcPlanBody,
  type CreateContractBody,
  formatDateIn,
  formatDateTimeIn,
  NotFoundError,
  type Page,
  type RenewalStatus,
  renewalStatusWords,
  utcOffsetMinutes,
  ValidationError,
} from '@aftercare/core';
import type { Selectable } from 'kysely';
import type { ServiceDatabase } from '../db/database.ts';
import { planningZoneOf } from '../db/planning-zone.ts';
import { flag, isSet, newId, toCount } from '../db/query-helpers.ts';
import type { AmcPlansTable, ContractsTable } from '../db/tables.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import type { EventBus } from '../events/event-bus.ts';

export interface ContractFilter {
  customerId?: string | undefined;
  deviceId?: string | undefined;
  activeAt?: number | undefined;
  renewalStatus?: RenewalStatus | undefined;
}

function toPlan(row: Selectable<AmcPlansTable>): AmcPlan {
  return {
    id: row.id,
    name: row.name,
    model: row.model,
    visitsPerYear: row.visits_per_year,
    slaResponseHours: row.sla_response_hours,
    coversLabour: isSet(row.covers_labour),
    coversParts: isSet(row.covers_parts),
    priceCents: row.price_cents,
    createdAt: row.created_at,
  };
}

function toContract(row: Selectable<ContractsTable>, deviceIds: string[]): Contract {
  return {
    id: row.id,
    customerId: row.customer_id,
    planId: row.plan_id,
    deviceIds,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    renewalStatus: row.renewal_status,
    renewsContractId: row.renews_contract_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * An end of a contract's term as the people who set it read it, on the network's calendar: "07 Mar
 * 2027" for a term that turns at midnight there, as terms do; the time and zone too for any other.
 */
function termEdge(at: number, timeZone: string): string {
  const local = at + utcOffsetMinutes(timeZone, at) * 60_000;
  return local % 86_400_000 === 0 ? formatDateIn(at, timeZone) : formatDateTimeIn(at, timeZone);
}

/**
 * One device is under one contract at a time: the contract in force decides a ticket's coverage and
 * SLA, and with two it would be whichever the database returned first.
 */
function overlapError(
  clash: { id: string; device_id: string; starts_at: number; ends_at: number },
  timeZone: string,
) {
  const term = `${termEdge(clash.starts_at, timeZone)} to ${termEdge(clash.ends_at, timeZone)}`;
  return new ConflictError(
    `device ${clash.device_id} is under contract ${clash.id} from ${term}; a new contract for it may start when that one ends`,
  );
}

/** AMC plans, contracts on them, and renewals (their visits are the ContractVisitRepository's). */
export class ContractRepository {
  private readonly clock: () => number;

  constructor(
    private readonly db: ServiceDatabase,
    readonly options: { clock?: () => number; events?: EventBus } = {},
  ) {
    this.clock = options.clock ?? Date.now;
  }

  async createPlan(input: CreateAmcPlanBody): Promise<AmcPlan> {
    const row: Selectable<AmcPlansTable> = {
      id: input.id ?? newId(),
      name: input.name,
      model: input.model ?? null,
      visits_per_year: input.visitsPerYear,
      sla_response_hours: input.slaResponseHours,
      covers_labour: flag(input.coversLabour),
      covers_parts: flag(input.coversParts),
      price_cents: input.priceCents,
      created_at: this.clock(),
    };
    try {
      await this.db.insertInto('amc_plans').values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`plan ${row.id} already exists`);
      throw err;
    }
    return toPlan(row);
  }

  async getPlan(id: string): Promise<AmcPlan | null> {
    const row = await this.db.selectFrom('amc_plans').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toPlan(row) : null;
  }

  async listPlans(): Promise<AmcPlan[]> {
    return (await this.db.selectFrom('amc_plans').selectAll().orderBy('name').orderBy('id').execute()).map(
      toPlan,
    );
  }

  /**
   * A contract for some of the customer's devices; each must belong to the customer (and fit the plan's
   * model) and be under no other contract during its term [startsAt, endsAt).
   */
  async create(input: CreateContractBody, renews: string | null = null): Promise<Contract> {
    const plan = await this.getPlan(input.planId);
    if (!plan) throw new ValidationError(`planId: there is no plan ${input.planId}`);
    const customer = await this.db
      .selectFrom('customers')
      .select('id')
      .where('id', '=', input.customerId)
      .executeTakeFirst();
    if (!customer) throw new ValidationError(`customerId: there is no customer ${input.customerId}`);
    const deviceIds = [...new Set(input.deviceIds)];
    const devices = await this.db
      .selectFrom('devices')
      .select(['id', 'customer_id', 'model'])
      .where('id', 'in', deviceIds)
      .execute();
    for (const id of deviceIds) {
      const device = devices.find((d) => d.id === id);
      if (!device) throw new ValidationError(`deviceIds: there is no device ${id}`);
      if (device.customer_id !== input.customerId)
        throw new ValidationError(`deviceIds: device ${id} does not belong to customer ${input.customerId}`);
      if (plan.model !== null && device.model !== plan.model)
        throw new ValidationError(
          `deviceIds: device ${id} is a ${device.model}; plan ${plan.id} is for ${plan.model}`,
        );
    }
    const now = this.clock();
    const row: Selectable<ContractsTable> = {
      id: input.id ?? newId(),
      customer_id: input.customerId,
      plan_id: input.planId,
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      renewal_status: 'not_due',
      renews_contract_id: renews,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.db.transaction().execute(async (trx) => {
        // Checked inside the write so that two contracts for one device cannot both pass the check.
        const clash = await trx
          .selectFrom('contracts')
          .innerJoin('contract_devices', 'contract_devices.contract_id', 'contracts.id')
          .select(['contracts.id', 'contract_devices.device_id', 'contracts.starts_at', 'contracts.ends_at'])
          .where('contract_devices.device_id', 'in', deviceIds)
          .where('contracts.starts_at', '<', row.ends_at)
          .where('contracts.ends_at', '>', row.starts_at)
          .orderBy('contracts.starts_at')
          .orderBy('contracts.id')
          .executeTakeFirst();
        if (clash) throw overlapError(clash, await planningZoneOf(trx));
        await trx.insertInto('contracts').values(row).execute();
        await trx
          .insertInto('contract_devices')
          .values(deviceIds.map((device_id) => ({ contract_id: row.id, device_id })))
          .execute();
        if (renews !== null) {
          await trx
            .updateTable('contracts')
            .set({ renewal_status: 'renewed', updated_at: now })
            .where('id', '=', renews)
            .execute();
        }
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw new ConflictError(
          renews ? `contract ${renews} is already renewed` : `contract ${row.id} already exists`,
        );
      throw err;
    }
    return toContract(row, deviceIds);
  }

  async get(id: string): Promise<Contract | null> {
    const row = await this.db.selectFrom('contracts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    const devices = await this.db
      .selectFrom('contract_devices')
      .select('device_id')
      .where('contract_id', '=', id)
      .orderBy('device_id')
      .execute();
    return toContract(
      row,
      devices.map((d) => d.device_id),
    );
  }

  async list(filter: ContractFilter & { limit: number; offset: number }): Promise<Page<Contract>> {
    let query = this.db.selectFrom('contracts');
    if (filter.customerId !== undefined) query = query.where('customer_id', '=', filter.customerId);
    if (filter.renewalStatus !== undefined) query = query.where('renewal_status', '=', filter.renewalStatus);
    if (filter.activeAt !== undefined) {
      query = query.where('starts_at', '<=', filter.activeAt).where('ends_at', '>', filter.activeAt);
    }
    if (filter.deviceId !== undefined) {
      const deviceId = filter.deviceId;
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('contract_devices')
            .select('contract_devices.device_id')
            .whereRef('contract_devices.contract_id', '=', 'contracts.id')
            .where('contract_devices.device_id', '=', deviceId),
        ),
      );
    }
    const [rows, count] = await Promise.all([
      query
        .selectAll()
        .orderBy('starts_at', 'desc')
        .orderBy('id')
        .limit(filter.limit)
        .offset(filter.offset)
        .execute(),
      query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirst(),
    ]);
    const ids = rows.map((r) => r.id);
    const links =
      ids.length === 0
        ? []
        : await this.db
            .selectFrom('contract_devices')
            .selectAll()
            .where('contract_id', 'in', ids)
            .orderBy('device_id')
            .execute();
    return {
      items: rows.map((r) =>
        toContract(
          r,
          links.filter((l) => l.contract_id === r.id).map((l) => l.device_id),
        ),
      ),
      total: toCount(count),
      limit: filter.limit,
      offset: filter.offset,
    };
  }

  /** The contract in force for a device now, if any. */
  async activeFor(deviceId: string, at: number = this.clock()): Promise<Contract | null> {
    const page = await this.list({ deviceId, activeAt: at, limit: 1, offset: 0 });
    return page.items[0] ?? null;
  }

  /**
   * Marks `due` the contracts still `not_due` that end within `withinDays`; answers how many. Only the
   * AMC scheduler calls it, at its own window: the customer reads `due` as "we will send you an
   * offer", so a planner looking further ahead must not move it.
   */
  async markRenewalsDue(withinDays: number): Promise<number> {
    const now = this.clock();
    const result = await this.db
      .updateTable('contracts')
      .set({ renewal_status: 'due', updated_at: now })
      .where('renewal_status', '=', 'not_due')
      .where('ends_at', '>', now)
      .where('ends_at', '<=', now + withinDays * 86_400_000)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Contracts ending within `withinDays` that are not renewed or declined, soonest first, with their
   * status as stored: one the scheduler has not reached yet is still `not_due`. A read: it writes nothing.
   */
  async renewalsDue(withinDays: number, page: { limit: number; offset: number }): Promise<Page<Contract>> {
    const now = this.clock();
    const horizon = now + withinDays * 86_400_000;
    const query = this.db
      .selectFrom('contracts')
      .where('renewal_status', 'in', ['not_due', 'due', 'offered'])
      .where('ends_at', '>', now)
      .where('ends_at', '<=', horizon);
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy('ends_at').orderBy('id').limit(page.limit).offset(page.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirst(),
    ]);
    const items = await Promise.all(rows.map(async (r) => (await this.get(r.id))!));
    return { items, total: toCount(count), limit: page.limit, offset: page.offset };
  }

  /**
   * `expectedStatus`: the status the caller saw. The update only lands on the status it was read
   * with, so two planners acting on one renewal at once cannot both win, whether they said what they saw or not.
   */
  async setRenewalStatus(
    id: string,
    status: 'due' | 'offered' | 'declined',
    expectedStatus?: RenewalStatus,
  ): Promise<Contract> {
    const current = await this.get(id);
    if (!current) throw new NotFoundError('contract', id);
    if (current.renewalStatus === 'renewed') throw new ConflictError(`contract ${id} is already renewed`);
    assertRenewalSeen(current, expectedStatus);
    const updated = await this.db
      .updateTable('contracts')
      .set({ renewal_status: status, updated_at: this.clock() })
      .where('id', '=', id)
      .where('renewal_status', '=', current.renewalStatus)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      const now = (await this.get(id))!;
      throw new ConflictError(
        `the renewal of contract ${id} changed meanwhile: it is ${renewalStatusWords[now.renewalStatus]} now`,
      );
    }
    return (await this.get(id))!;
  }

  /** A new contract starting when this one ends, for the same customer and devices. */
  async renew(
    id: string,
    options: {
      planId?: string | undefined;
      months?: number | undefined;
      expectedStatus?: RenewalStatus | undefined;
    } = {},
  ): Promise<Contract> {
    const current = await this.get(id);
    if (!current) throw new NotFoundError('contract', id);
    if (current.renewalStatus === 'renewed') throw new ConflictError(`contract ${id} is already renewed`);
    assertRenewalSeen(current, options.expectedStatus);
    const end = new Date(current.endsAt);
    const endsAt =
      options.months === undefined
        ? current.endsAt + (current.endsAt - current.startsAt)
        : Date.UTC(
            end.getUTCFullYear(),
            end.getUTCMonth() + options.months,
            end.getUTCDate(),
            end.getUTCHours(),
            end.getUTCMinutes(),
          );
    return this.create(
      {
        customerId: current.customerId,
        planId: options.planId ?? current.planId,
        deviceIds: current.deviceIds,
        startsAt: current.endsAt,
        endsAt,
      },
      id,
    );
  }
}

/** A caller acting on a renewal status it saw, which another change has since moved on: 409. */
function assertRenewalSeen(current: Contract, expectedStatus: RenewalStatus | undefined): void {
  if (expectedStatus === undefined || expectedStatus === current.renewalStatus) return;
  throw new ConflictError(
    `the renewal of contract ${current.id} changed meanwhile: it is ${renewalStatusWords[current.renewalStatus]} now (you saw it ${renewalStatusWords[expectedStatus]})`,
  );
}
