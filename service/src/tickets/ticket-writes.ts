import {
  type Appointment,
  catalog,
  type DeviceModel,
  failureMode as findFailureMode,
  NotFoundError,
  type Skill,
  shortTitle,
  type TicketChangedEvent,
  type TicketEvidence,
  type TicketKind,
  type TicketPriority,
  type TicketStatus,
  ValidationError,
} from '@aftercare/core';
import type { Kysely, Updateable } from 'kysely';
import { newId } from '../db/query-helpers.ts';
import type { ServiceTables, TicketsTable } from '../db/tables.ts';
import { StaleVersionError } from '../errors.ts';
import { periodicServiceGuide } from '../knowledge/service-checklists.ts';
import type { Actor } from '../principal.ts';
import { callBackTicketTransfers, releaseTicketReservations } from '../stock/stock-operations.ts';
import { type ActiveContract, decideCoverage, slaDueAt } from './coverage.ts';
import { holdsOpenKey } from './ticket-lifecycle.ts';
import { type TicketRow, ticketEvent } from './ticket-rows.ts';

/** The database or a transaction on it: every write here runs inside the caller's transaction. */
export type Db = Kysely<ServiceTables>;

/** The key that admits one open predictive ticket per device and component. */
export function openKeyOf(deviceId: string, component: string): string {
  return `${deviceId}/${component}`;
}

export async function loadTicket(db: Db, id: string): Promise<TicketRow> {
  const row = await db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('ticket', id);
  return row;
}

/** The AMC contract in force for a device at `at`, with the plan terms coverage needs. */
export async function activeContractFor(
  db: Db,
  deviceId: string,
  at: number,
): Promise<ActiveContract | null> {
  const row = await db
    .selectFrom('contract_devices')
    .innerJoin('contracts', 'contracts.id', 'contract_devices.contract_id')
    .innerJoin('amc_plans', 'amc_plans.id', 'contracts.plan_id')
    .select([
      'contracts.id',
      'amc_plans.sla_response_hours',
      'amc_plans.covers_labour',
      'amc_plans.covers_parts',
    ])
    .where('contract_devices.device_id', '=', deviceId)
    .where('contracts.starts_at', '<=', at)
    .where('contracts.ends_at', '>', at)
    .orderBy('contracts.ends_at', 'desc')
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        slaResponseHours: row.sla_response_hours,
        coversLabour: row.covers_labour === 1,
        coversParts: row.covers_parts === 1,
      }
    : null;
}

export interface NewTicket {
  kind: TicketKind;
  deviceId: string;
  title?: string | undefined;
  description: string;
  priority?: TicketPriority | undefined;
  failureMode?: string | undefined;
  requiredSkill?: Skill | undefined;
  evidence?: TicketEvidence | undefined;
  /** When the work must be on site by, if not from the contract or the priority. */
  slaDueAt?: number | undefined;
  openKey?: string | undefined;
}

const defaultTitles: Record<TicketKind, string> = {
  predictive: 'Predicted failure',
  corrective: 'Reported problem',
  amc_visit: 'AMC maintenance visit',
  installation: 'Installation',
};

/**
 * A ticket's title when the caller gave none and no failure mode names the work: a reported problem in
 * the reporter's first words, so that a list of them can be told apart; other kinds by what they are.
 */
function untitled(input: Pick<NewTicket, 'kind' | 'description'>): string {
  const words = input.description
    .split(/\r?\n/)[0]!
    .split(/(?<=[.!?])\s/)[0]!
    .trim();
  if (input.kind !== 'corrective' || words === '') return defaultTitles[input.kind];
  return shortTitle(words.replace(/[.]$/, ''), 80);
}

/**
 * Inserts a ticket and its first audit entry. The failure mode sets the component, the skill and the
 * troubleshooting steps; coverage (warranty, AMC, chargeable) and the SLA are decided here, once.
 */
export async function insertTicket(db: Db, input: NewTicket, actor: Actor, now: number): Promise<TicketRow> {
  const device = await db
    .selectFrom('devices')
    .select(['id', 'model', 'customer_id', 'site_id', 'installed_at', 'warranty_ends_at'])
    .where('id', '=', input.deviceId)
    .executeTakeFirst();
  if (!device) throw new NotFoundError('device', input.deviceId);
  const model: DeviceModel = device.model;
  const mode = input.failureMode === undefined ? undefined : findFailureMode(model, input.failureMode);
  if (input.failureMode !== undefined && mode === undefined) {
    const known = catalog[model].failureModes.map((f) => f.id).join(', ');
    throw new ValidationError(
      `failureMode: ${input.failureMode} is not a failure mode of ${model} (one of ${known})`,
    );
  }
  // A repair gets its failure mode's guide; an AMC visit without one, the model's service checklist.
  const guideKey = mode?.id ?? (input.kind === 'amc_visit' ? periodicServiceGuide : undefined);
  const guide =
    guideKey === undefined
      ? undefined
      : await db
          .selectFrom('troubleshooting_guides')
          .select('steps')
          .where('model', '=', model)
          .where('failure_mode', '=', guideKey)
          .executeTakeFirst();
  const contract = await activeContractFor(db, device.id, now);
  const { coverage, contractId } = decideCoverage({
    now,
    kind: input.kind,
    installedAt: device.installed_at === null ? null : Date.parse(device.installed_at),
    warrantyEndsAt: device.warranty_ends_at,
    contract,
  });
  const priority = input.priority ?? 'normal';
  const row: TicketRow = {
    id: newId(),
    kind: input.kind,
    status: 'open',
    version: 1,
    priority,
    device_id: device.id,
    customer_id: device.customer_id,
    site_id: device.site_id,
    title: input.title ?? (mode ? `${mode.label} — ${catalog[model].label}` : untitled(input)),
    description: input.description,
    component: mode?.component ?? null,
    failure_mode: mode?.id ?? null,
    required_skill: input.requiredSkill ?? mode?.skill ?? null,
    evidence: input.evidence === undefined ? null : JSON.stringify(input.evidence),
    troubleshooting_steps: guide?.steps ?? '[]',
    appointment_start: null,
    appointment_end: null,
    technician_id: null,
    sla_due_at: input.slaDueAt ?? slaDueAt(now, priority, contract),
    coverage,
    contract_id: contractId,
    open_key: input.openKey ?? null,
    created_by: actor.id,
    created_at: now,
    updated_at: now,
    resolved_at: null,
    closed_at: null,
  };
  await db.insertInto('tickets').values(row).execute();
  await db
    .insertInto('ticket_audit')
    .values({
      id: newId(),
      ticket_id: row.id,
      version: 1,
      at: now,
      actor: actor.id,
      actor_role: actor.role,
      from_status: null,
      to_status: 'open',
      action: 'opened',
      reason: null,
      data: JSON.stringify({ kind: row.kind, coverage, contractId, slaDueAt: row.sla_due_at }),
    })
    .execute();
  return row;
}

export interface TicketChange {
  /** The audit log's name for what happened. */
  action: string;
  /** The new status; unchanged when left out. */
  to?: TicketStatus | undefined;
  reason?: string | null | undefined;
  /** Other columns the change sets. */
  set?: Updateable<TicketsTable> | undefined;
  data?: Record<string, unknown> | null | undefined;
  /** The version the caller acted on; a ticket changed since fails with StaleVersionError. */
  expectedVersion?: number | undefined;
}

/**
 * The one way a ticket changes: a conditional UPDATE on its version (optimistic concurrency, which
 * holds on PostgreSQL as on SQLite) and the audit entry numbered with the new version, in the
 * caller's transaction. Status side effects happen here too: timestamps, the open key, unused
 * reservations released, the AMC visit kept in step.
 */
export async function applyTicketChange(
  db: Db,
  current: TicketRow,
  change: TicketChange,
  actor: Actor,
  now: number,
): Promise<{ row: TicketRow; event: TicketChangedEvent }> {
  if (change.expectedVersion !== undefined && change.expectedVersion !== current.version) {
    throw new StaleVersionError('ticket', current.id, change.expectedVersion);
  }
  const to = change.to ?? current.status;
  let data = change.data ?? null;
  const set: Updateable<TicketsTable> = {
    ...change.set,
    status: to,
    version: current.version + 1,
    updated_at: now,
  };
  if (to !== current.status) {
    if (to === 'resolved') set.resolved_at = now;
    if (to === 'closed' || to === 'cancelled') set.closed_at = now;
    if (to === 'open') set.resolved_at = null;
    if (!holdsOpenKey(to)) set.open_key = null;
    // Stock held for work that will not happen (cancelled) or is done (resolved) goes back on the shelf.
    if (to === 'cancelled' || to === 'resolved') await releaseTicketReservations(db, current.id, now);
    // Parts still on the road for work nobody will do are called back (a person's resolution may still
    // need them for a second visit: that is theirs to call back).
    if (to === 'cancelled' || change.action === 'resolved_remotely') {
      const calledBack = await callBackTicketTransfers(db, current.id, now);
      if (calledBack.length > 0) data = { ...data, transfersCalledBack: calledBack };
    }
    if (current.kind === 'amc_visit') {
      if (to === 'resolved') {
        await db
          .updateTable('contract_visits')
          .set({ status: 'done' })
          .where('ticket_id', '=', current.id)
          .execute();
      }
      if (to === 'cancelled') {
        await db
          .updateTable('contract_visits')
          .set({ status: 'planned', ticket_id: null })
          .where('ticket_id', '=', current.id)
          .execute();
      }
    }
  }
  const result = await db
    .updateTable('tickets')
    .set(set)
    .where('id', '=', current.id)
    .where('version', '=', current.version)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw new StaleVersionError('ticket', current.id, current.version);
  await db
    .insertInto('ticket_audit')
    .values({
      id: newId(),
      ticket_id: current.id,
      version: current.version + 1,
      at: now,
      actor: actor.id,
      actor_role: actor.role,
      from_status: current.status,
      to_status: to,
      action: change.action,
      reason: change.reason ?? null,
      data: data ? JSON.stringify(data) : null,
    })
    .execute();
  const row = await loadTicket(db, current.id);
  return { row, event: ticketEvent(row, change.action, current.status === to ? null : current.status) };
}

/**
 * Checks that a technician may take a ticket: known, active, holding the skill, and certified for it
 * through the appointment when the failure mode needs a certification. Answers with the field to fix.
 */
export async function assertAssignable(
  db: Db,
  ticket: TicketRow,
  technicianId: string,
  appointment: Appointment,
): Promise<void> {
  const technician = await db
    .selectFrom('technicians')
    .select(['id', 'name', 'status'])
    .where('id', '=', technicianId)
    .executeTakeFirst();
  if (!technician) throw new ValidationError(`technicianId: there is no technician ${technicianId}`);
  if (technician.status !== 'active')
    throw new ValidationError(`technicianId: technician ${technicianId} is unavailable`);
  if (ticket.required_skill === null) return;
  // Planners read these on the dispatch board: the person's name and the skill in words.
  const who = `${technician.name} (${technician.id})`;
  const skillWords = ticket.required_skill.replaceAll('_', ' ');
  const skill = await db
    .selectFrom('technician_skills')
    .select(['certified_until'])
    .where('technician_id', '=', technicianId)
    .where('skill', '=', ticket.required_skill)
    .executeTakeFirst();
  if (!skill) throw new ValidationError(`technicianId: ${who} lacks the ${skillWords} skill`);
  const model = await db
    .selectFrom('devices')
    .select('model')
    .where('id', '=', ticket.device_id)
    .executeTakeFirst();
  const mode = model && ticket.failure_mode ? findFailureMode(model.model, ticket.failure_mode) : undefined;
  if (
    mode?.certificationRequired &&
    (skill.certified_until === null || skill.certified_until < appointment.end)
  ) {
    throw new ValidationError(
      `technicianId: ${mode.label} needs a ${skillWords} certification valid through the appointment, which ${who} does not hold`,
    );
  }
}
