import type { AuditEntry, TicketKind, TicketPriority, TicketStatus } from '@aftercare/core';
import { humanize } from '../format.ts';

/**
 * The words the ticket pages use for the service's codes: kinds, priorities, coverage, the steps of
 * the lifecycle a person may take, and the audit log's actions as a sentence.
 */

export const kindLabels: Readonly<Record<TicketKind, string>> = {
  predictive: 'Predictive',
  corrective: 'Reported problem',
  amc_visit: 'AMC visit',
  installation: 'Installation',
};

export const priorityLabels: Readonly<Record<TicketPriority, string>> = {
  urgent: 'Urgent',
  high: 'High',
  normal: 'Normal',
  low: 'Low',
};

export const coverageLabels: Readonly<Record<string, { label: string; detail: string }>> = {
  in_warranty: { label: 'In warranty', detail: "Parts and labour are on the manufacturer's warranty." },
  amc: { label: 'AMC', detail: 'Covered by the annual maintenance contract.' },
  chargeable: { label: 'Chargeable', detail: 'Not covered: the customer pays for parts and labour.' },
};

export const kindOptions = Object.entries(kindLabels).map(([value, label]) => ({ value, label }));
export const priorityOptions = Object.entries(priorityLabels).map(([value, label]) => ({ value, label }));

/** One step a person may take from a status (the service's lifecycle, as its rules allow each role). */
export interface TicketStep {
  to: TicketStatus;
  label: string;
  /** What the step means, for the button's title. */
  hint: string;
  reasonRequired: boolean;
  /** Placeholder for the reason box. */
  reasonLabel?: string;
  /** A step that undoes work or ends the ticket early: shown apart from the main one. */
  destructive?: boolean;
}

type Roles = 'office' | 'technician';

const step = (
  to: TicketStatus,
  label: string,
  hint: string,
  roles: Roles[],
  reason?: string,
  destructive = false,
): TicketStep & { roles: Roles[] } => ({
  to,
  label,
  hint,
  roles,
  reasonRequired: reason !== undefined,
  ...(reason ? { reasonLabel: reason } : {}),
  destructive,
});

/*
 * Mirrors the service's lifecycle (service/src/tickets/ticket-lifecycle.ts); the API decides, so a
 * step shown here that the service refuses is answered with its reason. Scheduling an open ticket
 * needs a technician and an appointment: that is the assignment form, not a button.
 */
const steps: Partial<Record<TicketStatus, ReturnType<typeof step>[]>> = {
  open: [step('cancelled', 'Cancel ticket', 'Nothing will be done', ['office'], 'Why it is cancelled', true)],
  scheduled: [
    step('dispatched', 'Accept job', 'You take the job', ['technician']),
    // The office records what the technician said (on the phone): worded as theirs, not the office's.
    step('dispatched', 'Mark accepted', 'The technician has taken the job', ['office']),
    step('open', 'Unschedule', 'Back to open, without technician', ['office'], 'Why it is unscheduled', true),
    step('cancelled', 'Cancel ticket', 'Nothing will be done', ['office'], 'Why it is cancelled', true),
  ],
  dispatched: [
    step('on_site', 'Start work on site', 'The technician is at the device', ['office', 'technician']),
    step('cancelled', 'Cancel ticket', 'Nothing will be done', ['office'], 'Why it is cancelled', true),
  ],
  on_site: [
    step('resolved', 'Resolve', 'The work is done', ['office', 'technician'], 'What was found and done'),
  ],
  resolved: [
    // Verifying is the readings' (the fix verifier's): the office closes work with nothing to measure.
    step('closed', 'Close ticket', 'Done; closed without the readings check', ['office']),
    step(
      'flagged_for_review',
      'Flag for review',
      'The fix is in doubt',
      ['office'],
      'What looks wrong',
      true,
    ),
  ],
  flagged_for_review: [
    step(
      'verified',
      'Mark verified',
      'The fix is confirmed after review',
      ['office'],
      'What the review found',
    ),
    step('open', 'Reopen', 'Send someone again', ['office'], 'Why it is reopened', true),
    step('closed', 'Close', 'Close without verification', ['office'], 'Why it is closed', true),
  ],
  verified: [step('closed', 'Close ticket', 'Nothing is left to do', ['office'])],
};

export function stepsFor(status: TicketStatus, role: string): TicketStep[] {
  const as: Roles | null =
    role === 'planner' || role === 'admin' ? 'office' : role === 'technician' ? 'technician' : null;
  if (as === null) return [];
  return (steps[status] ?? []).filter((s) => s.roles.includes(as)).map(({ roles: _roles, ...s }) => s);
}

const actionWords: Readonly<Record<string, string>> = {
  opened: 'Opened',
  created: 'Opened',
  scheduled: 'Scheduled',
  assigned: 'Technician assigned',
  reassigned: 'Reassigned',
  unscheduled: 'Unscheduled',
  accepted: 'Accepted by the technician',
  started: 'Work started on site',
  visit_extended: 'Visit runs late',
  resolved: 'Resolved',
  verified: 'Fix verified',
  flagged_for_review: 'Flagged for review',
  reopened: 'Reopened',
  closed: 'Closed',
  cancelled: 'Cancelled',
  note_added: 'Note added',
  part_used: 'Part fitted',
  priority_raised: 'Priority raised',
  part_reserved: 'Part reserved',
  part_released: 'Part reservation released',
  transfer_created: 'Part transfer started',
  transfer_arrived: 'Part transfer arrived',
  transfer_redirected: 'Part transfer redirected',
  transfer_cancelled: 'Part transfer called back',
  predictive_work_folded: 'Predictive work added to this visit',
  predictive_work_unfolded: 'Predictive work taken out of this visit (its risk went)',
  command_sent: 'Remote command sent',
  command_answered: 'Remote command answered',
  command_failed: 'Remote command failed',
  command_timed_out: 'Remote command timed out',
  resolved_remotely: 'Resolved remotely',
};

/** "Technician assigned", "Fix verified", … ; an action this console does not know, in plain words. */
export function auditActionLabel(action: string): string {
  return actionWords[action] ?? humanize(action);
}

const systemActors: Readonly<Record<string, string>> = {
  automation: 'the automation',
  'amc-scheduler': 'the AMC scheduler',
  'fix-verifier': 'the fix verifier',
  'remote-troubleshooting': 'remote troubleshooting',
  'demo-history': 'the demo history',
};

/** Who did it, as a person reads it: the automation, a planner, the technician, the customer. */
export function actorLabel(entry: Pick<AuditEntry, 'actor' | 'actorRole'>): string {
  if (entry.actor.startsWith('system:')) {
    const part = entry.actor.slice('system:'.length);
    return systemActors[part] ?? `the platform (${part.replace(/[-_]/g, ' ')})`;
  }
  if (entry.actor === 'admin' || entry.actorRole === 'admin') return 'an administrator';
  if (entry.actorRole === 'planner') return 'a planner';
  if (entry.actorRole === 'technician') return 'the technician';
  if (entry.actorRole === 'customer') return 'the customer';
  if (entry.actor.startsWith('token:')) return 'an API client';
  return entry.actorRole || entry.actor;
}
