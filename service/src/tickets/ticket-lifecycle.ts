import type { TicketStatus } from '@aftercare/core';
import { type Actor, aRole } from '../principal.ts';

/*
 * The work order's lifecycle, as data and pure functions: no I/O, so the rules can be read in one
 * place and tested exhaustively.
 *
 *   open → scheduled → dispatched → on_site → resolved → verified → closed
 *                                               resolved → closed (the office, unverified)
 *     ↘ cancelled (from open, scheduled, dispatched)     ↘ flagged_for_review → verified | open | closed
 *   scheduled → open (unscheduled when re-planning)
 *   open | scheduled | dispatched → resolved (resolved_remotely: only the platform, when a remote
 *     command fixed the device and the risk cleared; nobody went on site)
 */

type ActorRole = Actor['role'];

interface TransitionRule {
  /** The audit log's name for the step. */
  action: string;
  roles: readonly ActorRole[];
  /** The step needs a reason in the audit log. */
  reasonRequired: boolean;
  /**
   * Only the platform takes the step, on evidence people do not hold (a device's answer and the risk
   * that followed). To anyone else it is not part of the lifecycle: it is neither offered nor named.
   */
  systemOnly?: true;
}

const office = ['admin', 'planner'] as const;
const officeAndSystem = ['admin', 'planner', 'system'] as const;

/** Fixed without a visit: the remote fix answered ok and the risk fell below p_close. */
const resolvedRemotely: TransitionRule = {
  action: 'resolved_remotely',
  roles: ['system'],
  reasonRequired: true,
  systemOnly: true,
};

const rules: Partial<Record<TicketStatus, Partial<Record<TicketStatus, TransitionRule>>>> = {
  open: {
    scheduled: { action: 'scheduled', roles: officeAndSystem, reasonRequired: false },
    cancelled: { action: 'cancelled', roles: [...officeAndSystem, 'customer'], reasonRequired: true },
    resolved: resolvedRemotely,
  },
  scheduled: {
    dispatched: { action: 'accepted', roles: [...officeAndSystem, 'technician'], reasonRequired: false },
    open: { action: 'unscheduled', roles: officeAndSystem, reasonRequired: true },
    cancelled: { action: 'cancelled', roles: officeAndSystem, reasonRequired: true },
    resolved: resolvedRemotely,
  },
  dispatched: {
    on_site: { action: 'started', roles: [...office, 'technician'], reasonRequired: false },
    cancelled: { action: 'cancelled', roles: officeAndSystem, reasonRequired: true },
    resolved: resolvedRemotely,
  },
  on_site: {
    resolved: { action: 'resolved', roles: [...office, 'technician'], reasonRequired: true },
  },
  resolved: {
    // Verified means the readings after the repair showed it worked: only the fix verifier can say so.
    verified: { action: 'verified', roles: ['system'], reasonRequired: false, systemOnly: true },
    // Work with nothing to measure it by (a maintenance visit, a report naming no fault) is closed by
    // the office; closing a repair here gives up its readings check and leaves it unverified.
    closed: { action: 'closed', roles: office, reasonRequired: false },
    flagged_for_review: { action: 'flagged_for_review', roles: officeAndSystem, reasonRequired: true },
  },
  flagged_for_review: {
    verified: { action: 'verified', roles: office, reasonRequired: true },
    open: { action: 'reopened', roles: office, reasonRequired: true },
    closed: { action: 'closed', roles: office, reasonRequired: true },
  },
  verified: {
    closed: { action: 'closed', roles: officeAndSystem, reasonRequired: false },
  },
};

/** Statuses nothing leads out of. */
export const terminalStatuses: readonly TicketStatus[] = ['closed', 'cancelled'];

/** Statuses in which work is still to be done on site. */
export const activeStatuses: readonly TicketStatus[] = ['open', 'scheduled', 'dispatched', 'on_site'];

/**
 * Whether a ticket in this status still holds its device × component: while it does, no second
 * predictive ticket opens for them. A resolved ticket holds on until its fix is verified.
 */
export function holdsOpenKey(status: TicketStatus): boolean {
  return status !== 'verified' && status !== 'closed' && status !== 'cancelled';
}

/**
 * Statuses a ticket may move to from `from` by someone's decision; with `role: 'system'`, also the
 * steps only the platform takes.
 */
export function nextStatuses(from: TicketStatus, role?: ActorRole): TicketStatus[] {
  return Object.entries(rules[from] ?? {})
    .filter(([, rule]) => !rule.systemOnly || role === 'system')
    .map(([to]) => to as TicketStatus);
}

/** Statuses from which the platform may resolve a ticket that a remote command fixed. */
export const remotelyResolvableStatuses: readonly TicketStatus[] = (
  Object.keys(rules) as TicketStatus[]
).filter((from) => rules[from]?.resolved?.action === resolvedRemotely.action);

export interface TransitionRequest {
  from: TicketStatus;
  to: TicketStatus;
  actor: Actor;
  reason: string | undefined;
  ticket: { technicianId: string | null; customerId: string | null };
}

export type TransitionDecision =
  | { ok: true; action: string }
  | { ok: false; code: 'INVALID_TRANSITION' | 'FORBIDDEN' | 'REASON_REQUIRED'; message: string };

/**
 * Decides whether `actor` may move a ticket from `from` to `to`. Technicians move only the jobs
 * assigned to them, customers only cancel their own tickets before they are scheduled.
 */
export function decideTransition(request: TransitionRequest): TransitionDecision {
  const { from, to, actor, ticket } = request;
  const found = rules[from]?.[to];
  // A step only the platform takes does not exist for anyone else: answered as not in the lifecycle.
  const rule = found?.systemOnly && actor.role !== 'system' ? undefined : found;
  if (rule === undefined) {
    const options = nextStatuses(from, actor.role);
    return {
      ok: false,
      code: 'INVALID_TRANSITION',
      message:
        options.length === 0
          ? `the ticket is ${from}: its status cannot change any more`
          : `the ticket is ${from}: it can move to ${options.join(', ')}, not to ${to}`,
    };
  }
  if (!rule.roles.includes(actor.role)) {
    return {
      ok: false,
      code: 'FORBIDDEN',
      message: `${aRole(actor.role)} may not move a ticket from ${from} to ${to}`,
    };
  }
  if (
    actor.role === 'technician' &&
    (ticket.technicianId === null || ticket.technicianId !== actor.technicianId)
  ) {
    return { ok: false, code: 'FORBIDDEN', message: 'a technician may only move the jobs assigned to them' };
  }
  if (actor.role === 'customer' && (ticket.customerId === null || ticket.customerId !== actor.customerId)) {
    return { ok: false, code: 'FORBIDDEN', message: 'a customer may only cancel their own tickets' };
  }
  if (rule.reasonRequired && (request.reason === undefined || request.reason.trim() === '')) {
    return { ok: false, code: 'REASON_REQUIRED', message: `moving a ticket to ${to} needs a reason` };
  }
  return { ok: true, action: rule.action };
}
