import {
  ConflictError,
  catalog,
  failureMode as findFailureMode,
  NotFoundError,
  type Risk,
  type Ticket,
  type TicketEvidence,
  type TicketPriority,
  ValidationError,
} from '@aftercare/core';
import { z } from 'zod';
import type { ServiceDatabase } from '../db/database.ts';
import { chunksOf, ID_CHUNK } from '../db/query-helpers.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import type { EventBus } from '../events/event-bus.ts';
import { periodicServiceGuide } from '../knowledge/service-checklists.ts';
import { type Actor, systemActor } from '../principal.ts';
import { callBackTicketTransfers, releaseTicketReservations } from '../stock/stock-operations.ts';
import { activeStatuses } from '../tickets/ticket-lifecycle.ts';
import { parseSteps, type TicketRow, ticketEvent, toTicket } from '../tickets/ticket-rows.ts';
import { applyTicketChange, type Db, insertTicket, loadTicket, openKeyOf } from '../tickets/ticket-writes.ts';

/**
 * What the risk policy decided to do with a risk (service/src/automation/risk-policy.ts): open a
 * predictive ticket, or fold the work into an AMC visit of the device that falls inside the predicted
 * window. Only the fields the repository needs are named; the policy's decision fits as it is.
 */
export interface PredictiveTicketDecision {
  action: 'open' | 'fold_into_amc_visit';
  /** The contract visit to fold into (fold_into_amc_visit). */
  visitId?: string;
  ticket: {
    /** 1 (most urgent) … 4. */
    priority: 1 | 2 | 3 | 4;
    slaDueAt: number;
  };
  reason: string;
}

export type PredictiveOutcome =
  /** A new predictive ticket was opened. */
  | 'opened'
  /** The device × component already had open work: nothing new was opened. */
  | 'already_open'
  /** The work was added to the device's AMC visit. */
  | 'folded';

/** The risk policy ranks priority 1 (most urgent) … 4; tickets name it. */
export const ticketPriorityOfRank: Readonly<Record<1 | 2 | 3 | 4, TicketPriority>> = {
  1: 'urgent',
  2: 'high',
  3: 'normal',
  4: 'low',
};
export const rankOfTicketPriority: Readonly<Record<TicketPriority, 1 | 2 | 3 | 4>> = {
  urgent: 1,
  high: 2,
  normal: 3,
  low: 4,
};
const priorities = ticketPriorityOfRank;

/** What a predictive ticket keeps of the risk that opened it. */
export function evidenceOf(risk: Risk): TicketEvidence {
  return {
    pFail: risk.pFail,
    daysLeft: risk.daysLeft,
    horizonDays: risk.horizonDays,
    modelVersion: risk.modelVersion,
    scoredAt: risk.scoredAt,
    dataUntil: risk.dataUntil,
    drivers: risk.drivers,
  };
}

function describe(risk: Risk, label: string): string {
  const days =
    risk.daysLeft === null ? `within ${risk.horizonDays} days` : `in about ${Math.round(risk.daysLeft)} days`;
  const why = risk.drivers.map((d) => d.text).join('; ');
  return `${label} predicted ${days} (p = ${risk.pFail.toFixed(2)}, model ${risk.modelVersion}).${why ? ` ${why}.` : ''}`;
}

/**
 * Turns accepted risks into work. At most one piece of open predictive work per device × component:
 * the ticket carries an `open_key` while it holds them, the column is unique, so a repeated or
 * concurrent call finds the existing ticket instead of opening a second, in SQLite and PostgreSQL alike.
 */
export class PredictiveTicketRepository {
  private readonly clock: () => number;

  constructor(
    private readonly db: ServiceDatabase,
    private readonly options: { clock?: () => number; events?: EventBus } = {},
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /**
   * The device × component pairs (`openKeyOf`) among `deviceIds` that have open work, in a few queries:
   * a scoring run's risks are mostly for devices with none, which then need no read each.
   */
  async openKeysOf(deviceIds: readonly string[]): Promise<Set<string>> {
    const keys = new Set<string>();
    for (const chunk of chunksOf([...new Set(deviceIds)], ID_CHUNK)) {
      const rows = await this.db
        .selectFrom('tickets')
        .select('open_key')
        .where('device_id', 'in', chunk)
        .where('open_key', 'is not', null)
        .execute();
      for (const r of rows) keys.add(r.open_key!);
    }
    return keys;
  }

  /** The ticket holding the device × component's open predictive work, if any. */
  async findOpen(deviceId: string, component: string): Promise<Ticket | null> {
    const row = await this.db
      .selectFrom('tickets')
      .selectAll()
      .where('open_key', '=', openKeyOf(deviceId, component))
      .executeTakeFirst();
    return row ? toTicket(row) : null;
  }

  /**
   * Opens the predictive ticket the decision asks for, or folds the work into the AMC visit; idempotent
   * for a device × component while its work is open (returns the existing ticket, `already_open`).
   */
  async openPredictiveTicket(
    risk: Risk,
    decision: PredictiveTicketDecision,
    actor: Actor = systemActor('automation'),
  ): Promise<{ ticket: Ticket; outcome: PredictiveOutcome }> {
    const mode = findFailureMode(risk.model, risk.failureMode);
    if (!mode) {
      const known = catalog[risk.model].failureModes.map((f) => f.id).join(', ');
      throw new ValidationError(
        `failureMode: ${risk.failureMode} is not a failure mode of ${risk.model} (one of ${known})`,
      );
    }
    const key = openKeyOf(risk.deviceId, mode.component);
    const now = this.clock();
    try {
      const result = await this.db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('tickets')
          .selectAll()
          .where('open_key', '=', key)
          .executeTakeFirst();
        if (existing) return { row: existing, outcome: 'already_open' as const, event: null };
        if (decision.action === 'fold_into_amc_visit')
          return this.fold(trx, risk, decision, key, mode.label, actor, now);
        const row = await insertTicket(
          trx,
          {
            kind: 'predictive',
            deviceId: risk.deviceId,
            description: describe(risk, mode.label),
            priority: priorities[decision.ticket.priority],
            failureMode: mode.id,
            evidence: evidenceOf(risk),
            slaDueAt: decision.ticket.slaDueAt,
            openKey: key,
          },
          actor,
          now,
        );
        return { row, outcome: 'opened' as const, event: ticketEvent(row, 'opened', null) };
      });
      if (result.event) this.options.events?.publish(result.event);
      return { ticket: toTicket(result.row), outcome: result.outcome };
    } catch (err) {
      // Another writer (another process on PostgreSQL) opened it between our read and our insert:
      // the unique open key refused ours, and theirs is the answer.
      if (!isUniqueViolation(err)) throw err;
      const winner = await this.db
        .selectFrom('tickets')
        .selectAll()
        .where('open_key', '=', key)
        .executeTakeFirst();
      if (!winner) throw err;
      return { ticket: toTicket(winner), outcome: 'already_open' };
    }
  }

  /** The visit's ticket takes on the predictive work: its key, failure mode, evidence and steps. */
  private async fold(
    trx: Db,
    risk: Risk,
    decision: PredictiveTicketDecision,
    key: string,
    label: string,
    actor: Actor,
    now: number,
  ) {
    if (decision.visitId === undefined)
      throw new ValidationError('visitId: needed to fold work into an AMC visit');
    const visit = await trx
      .selectFrom('contract_visits')
      .selectAll()
      .where('id', '=', decision.visitId)
      .executeTakeFirst();
    if (!visit) throw new NotFoundError('contract visit', decision.visitId);
    if (visit.device_id !== risk.deviceId)
      throw new ValidationError(
        `visitId: visit ${visit.id} is for device ${visit.device_id}, not ${risk.deviceId}`,
      );
    let ticket: TicketRow | null = visit.ticket_id === null ? null : await loadTicket(trx, visit.ticket_id);
    if (ticket !== null && !activeStatuses.includes(ticket.status)) ticket = null;
    if (visit.status !== 'planned' && visit.status !== 'scheduled')
      throw new ConflictError(
        `contract visit ${visit.id} is ${visit.status}: work can no longer be added to it`,
      );
    if (ticket === null) {
      ticket = await insertTicket(
        trx,
        {
          kind: 'amc_visit',
          deviceId: risk.deviceId,
          description: `AMC maintenance visit, contract ${visit.contract_id}`,
          slaDueAt: visit.due_to,
        },
        actor,
        now,
      );
      await trx
        .updateTable('contract_visits')
        .set({ status: 'scheduled', ticket_id: ticket.id })
        .where('id', '=', visit.id)
        .execute();
    }
    if (ticket.open_key !== null)
      throw new ConflictError(
        `the visit's ticket ${ticket.id} already carries predictive work for ${ticket.open_key}`,
      );
    const mode = findFailureMode(risk.model, risk.failureMode)!;
    const guide = await trx
      .selectFrom('troubleshooting_guides')
      .select('steps')
      .where('model', '=', risk.model)
      .where('failure_mode', '=', mode.id)
      .executeTakeFirst();
    const { row, event } = await applyTicketChange(
      trx,
      ticket,
      {
        action: 'predictive_work_folded',
        reason: decision.reason,
        set: {
          open_key: key,
          component: mode.component,
          failure_mode: mode.id,
          required_skill: mode.skill,
          evidence: JSON.stringify(evidenceOf(risk)),
          // The visit does both: the maintenance checklist, then the repair's own steps.
          troubleshooting_steps: JSON.stringify([
            ...parseSteps(ticket.troubleshooting_steps),
            ...parseSteps(guide?.steps ?? '[]').map((step) => `${label}: ${step}`),
          ]),
          title: `${ticket.title} + ${label}`,
          description: `${ticket.description}\n\n${describe(risk, label)}`,
          priority: priorities[decision.ticket.priority],
          sla_due_at: Math.min(ticket.sla_due_at, decision.ticket.slaDueAt),
        },
        data: {
          visitId: visit.id,
          component: mode.component,
          failureMode: mode.id,
          pFail: risk.pFail,
          // What the visit was before, for `unfoldPredictiveWork` to give back if the risk goes.
          before: {
            priority: ticket.priority,
            slaDueAt: ticket.sla_due_at,
            requiredSkill: ticket.required_skill,
            description: ticket.description,
            troubleshootingSteps: ticket.troubleshooting_steps,
            title: ticket.title,
          },
        },
      },
      actor,
      now,
    );
    return { row, outcome: 'folded' as const, event };
  }

  /**
   * Takes predictive work back out of the AMC visit it was folded into, when its risk went away before
   * anyone set off: the visit is the maintenance visit it was (priority, SLA, skill, description and
   * checklist as before the fold), its part goes back on the shelf, and the device × component is free
   * for new work. The appointment, if it has one, stands: the customer was told of it. A visit nobody
   * holds yet waits for the route fill again.
   */
  async unfoldPredictiveWork(ticketId: string, reason: string, actor: Actor): Promise<Ticket> {
    const now = this.clock();
    const result = await this.db.transaction().execute(async (trx) => {
      const ticket = await loadTicket(trx, ticketId);
      if (ticket.kind !== 'amc_visit' || ticket.open_key === null)
        throw new ConflictError(`ticket ${ticketId} carries no folded predictive work`);
      if (ticket.status !== 'open' && ticket.status !== 'scheduled')
        throw new ConflictError(
          `ticket ${ticketId} is ${ticket.status}: its work can no longer be taken out`,
        );
      const folded = await trx
        .selectFrom('ticket_audit')
        .select('data')
        .where('ticket_id', '=', ticketId)
        .where('action', '=', 'predictive_work_folded')
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst();
      const before = foldedBeforeSchema.safeParse(folded?.data ? JSON.parse(folded.data) : null);
      const visit = await trx
        .selectFrom('contract_visits')
        .select('due_to')
        .where('ticket_id', '=', ticketId)
        .executeTakeFirst();
      // A fold recorded before `before` was kept: the visit's own SLA and the model's checklist.
      const restored = before.success
        ? before.data.before
        : {
            priority: 'normal' as const,
            slaDueAt: visit?.due_to ?? ticket.sla_due_at,
            requiredSkill: null,
            description: ticket.description.split('\n\n')[0]!,
            troubleshootingSteps: await periodicChecklist(trx, ticket.device_id),
            title: ticket.title.split(' + ')[0]!,
          };
      // The repair's part is no longer wanted: what is held goes back, what is on the road is called back.
      await releaseTicketReservations(trx, ticketId, now);
      const calledBack = await callBackTicketTransfers(trx, ticketId, now);
      const { row, event } = await applyTicketChange(
        trx,
        ticket,
        {
          action: 'predictive_work_unfolded',
          reason,
          set: {
            open_key: null,
            component: null,
            failure_mode: null,
            evidence: null,
            priority: restored.priority,
            sla_due_at: restored.slaDueAt,
            required_skill: restored.requiredSkill,
            description: restored.description,
            troubleshooting_steps: restored.troubleshootingSteps,
            title: restored.title ?? ticket.title.split(' + ')[0]!,
          },
          data: {
            component: ticket.component,
            failureMode: ticket.failure_mode,
            ...(calledBack.length > 0 ? { transfersCalledBack: calledBack } : {}),
          },
        },
        actor,
        now,
      );
      return { row, event };
    });
    if (result.event) this.options.events?.publish(result.event);
    return toTicket(result.row);
  }
}

const foldedBeforeSchema = z.object({
  before: z.object({
    priority: z.enum(['urgent', 'high', 'normal', 'low']),
    slaDueAt: z.number(),
    requiredSkill: z.string().nullable(),
    description: z.string(),
    troubleshootingSteps: z.string(),
    /** Left out by folds recorded before the title said what the visit carries. */
    title: z.string().optional(),
  }),
});

async function periodicChecklist(db: Db, deviceId: string): Promise<string> {
  const device = await db.selectFrom('devices').select('model').where('id', '=', deviceId).executeTakeFirst();
  if (!device) return '[]';
  const guide = await db
    .selectFrom('troubleshooting_guides')
    .select('steps')
    .where('model', '=', device.model)
    .where('failure_mode', '=', periodicServiceGuide)
    .executeTakeFirst();
  return guide?.steps ?? '[]';
}
