import { type Contract, failureMode, type Skill, type Ticket } from '@aftercare/core';
import { amcTicketMinutes } from '../automation/amc-schedule.ts';
import type { Position } from '../automation/geo.ts';
import { type RequiredWork, requiredWork } from '../automation/risk-policy.ts';
import type { TimeWindow } from '../automation/work.ts';
import { siteGroupsOf, visitsOf } from './amc-contract-sites.ts';
import { collectPages, type PlanningData, page } from './planning-data.ts';
import { heldPredictiveWindow, ticketWaitsForRouteFill } from './route-fill-wait.ts';

/*
 * What the evening route fill (amc-route-fill.ts) has to place: the tickets waiting for a day, each
 * with where it is, what it needs and the window it may go in.
 */

/** A ticket waiting for the route fill, with what placing it needs. */
export interface HeldWork {
  ticket: Ticket;
  position: Position;
  skill: Skill;
  certificationRequired: boolean;
  durationMinutes: number;
  /** Its appointment must start inside (an AMC visit's contract window; predictive work's SLA). */
  window: TimeWindow;
  /** Only this partner's technicians (an AMC visit goes to the partner servicing its site); null: any. */
  partnerId: string | null;
  /** Predictive work's catalogue work, whose part then follows the technician; null for an AMC visit. */
  work: RequiredWork | null;
}

/** Tickets waiting for the route fill: AMC visits without a technician, and predictive work not urgent. */
export async function heldWork(data: PlanningData, predictive: boolean): Promise<HeldWork[]> {
  return [...(await heldVisits(data)), ...(predictive ? await heldPredictiveWork(data) : [])];
}

/** AMC visit tickets without a technician, each with its site, contract window and time on site. */
async function heldVisits(data: PlanningData): Promise<HeldWork[]> {
  const repos = data.repositories;
  const open = await collectPages((offset) =>
    repos.tickets.list({ kind: 'amc_visit', status: ['open'], limit: page, offset }),
  );
  // Predictive work folded into a visit is dispatched with the predictive ticket's urgency, not held.
  const waiting = open.filter((t) => ticketWaitsForRouteFill(t, false));
  const contractIds = [...new Set(waiting.flatMap((t) => (t.contractId === null ? [] : [t.contractId])))];
  if (contractIds.length === 0) return [];
  // Only the waiting tickets' contracts, ended ones included: a visit whose window opened is owed.
  const contracts = await Promise.all(contractIds.map((id) => repos.contracts.get(id)));
  const groups = await siteGroupsOf(
    data,
    contracts.filter((c): c is Contract => c !== null),
  );
  const windows = new Map<string, TimeWindow>();
  for (const contractId of contractIds)
    for (const row of await visitsOf(repos, contractId))
      if (row.ticketId !== null) windows.set(row.ticketId, { start: row.dueFrom, end: row.dueTo });
  return waiting.flatMap((ticket) => {
    const group = groups.find(
      (g) => g.contract.id === ticket.contractId && g.deviceIds.includes(ticket.deviceId),
    );
    const window = windows.get(ticket.id);
    if (!group || !window) return [];
    return [
      {
        ticket,
        position: group.position,
        skill: 'general_service' as const,
        certificationRequired: false,
        durationMinutes: amcTicketMinutes(group.deviceIds.length),
        window,
        partnerId: group.schedule.partnerId,
        work: null,
      },
    ];
  });
}

/**
 * Open predictive tickets nobody holds whose urgency lets them wait (`ROUTE_FILL_FROM_PRIORITY`): the
 * risk automation left them for the fill. Their window runs from the customer's notice to their SLA.
 */
async function heldPredictiveWork(data: PlanningData): Promise<HeldWork[]> {
  const repos = data.repositories;
  const open = await collectPages((offset) =>
    repos.tickets.list({ kind: 'predictive', status: ['open'], limit: page, offset }),
  );
  const held: HeldWork[] = [];
  for (const ticket of open) {
    if (!ticketWaitsForRouteFill(ticket, true) || ticket.failureMode === null) continue;
    const [device, position] = await Promise.all([
      repos.devices.get(ticket.deviceId),
      data.positionOf(ticket),
    ]);
    // A failure mode the catalogue no longer knows cannot be planned here: left for a planner.
    if (!device || !position || !failureMode(device.model, ticket.failureMode)) continue;
    const work = requiredWork({ deviceId: device.id, model: device.model, failureMode: ticket.failureMode });
    held.push({
      ticket,
      position,
      skill: work.skill,
      certificationRequired: work.certificationRequired,
      durationMinutes: work.repairMinutes,
      window: heldPredictiveWindow(ticket),
      partnerId: null,
      work,
    });
  }
  return held;
}
