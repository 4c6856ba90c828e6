import type {
  AuditEntry,
  Skill,
  Ticket,
  TicketChangedEvent,
  TicketEvidence,
  TicketNote,
  TicketStatus,
} from '@aftercare/core';
import type { Selectable } from 'kysely';
import type { TicketAuditTable, TicketNotesTable, TicketsTable } from '../db/tables.ts';

export type TicketRow = Selectable<TicketsTable>;

export function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    version: row.version,
    priority: row.priority,
    deviceId: row.device_id,
    customerId: row.customer_id,
    siteId: row.site_id,
    title: row.title,
    description: row.description,
    component: row.component,
    failureMode: row.failure_mode,
    requiredSkill: row.required_skill as Skill | null,
    evidence: row.evidence === null ? null : (JSON.parse(row.evidence) as TicketEvidence),
    troubleshootingSteps: parseSteps(row.troubleshooting_steps),
    appointment:
      row.appointment_start === null || row.appointment_end === null
        ? null
        : { start: row.appointment_start, end: row.appointment_end },
    technicianId: row.technician_id,
    slaDueAt: row.sla_due_at,
    coverage: row.coverage,
    contractId: row.contract_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    resolvedAt: row.resolved_at,
    closedAt: row.closed_at,
  };
}

export function toAuditEntry(row: Selectable<TicketAuditTable>): AuditEntry {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    version: row.version,
    at: row.at,
    actor: row.actor,
    actorRole: row.actor_role,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    action: row.action,
    reason: row.reason,
    data: row.data === null ? null : (JSON.parse(row.data) as Record<string, unknown>),
  };
}

export function toNote(row: Selectable<TicketNotesTable>): TicketNote {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    at: row.at,
    author: row.author,
    authorRole: row.author_role,
    text: row.text,
  };
}

export function ticketEvent(
  row: TicketRow,
  action: string,
  previousStatus: TicketStatus | null,
): TicketChangedEvent {
  return {
    type: 'ticket.changed',
    ticketId: row.id,
    kind: row.kind,
    action,
    status: row.status,
    previousStatus,
    version: row.version,
    deviceId: row.device_id,
    customerId: row.customer_id,
    technicianId: row.technician_id,
    at: row.updated_at,
  };
}

/**
 * An audit entry's data as written (JSON), or null when there is none or it cannot be read: a
 * reader that wants one field of it must not fail on an entry it does not understand.
 */
export function parseAuditData(data: string | null): Record<string, unknown> | null {
  if (data === null) return null;
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Troubleshooting steps as a ticket or a guide row stores them: a JSON array of strings. */
export function parseSteps(json: string): string[] {
  return JSON.parse(json) as string[];
}
