import {
  type DeviceModel,
  failureMode as findFailureMode,
  inSentence,
  type Risk,
  type Rng,
  type Skill,
  type Ticket,
} from '@aftercare/core';
import { haversineKm as distanceKm, type Position } from '../automation/geo.ts';
import { predictiveTicketPlan } from '../automation/risk-policy.ts';
import { DAY_MS, HOUR_MS, localDayStart, MINUTE_MS } from '../automation/work.ts';
import type { ServiceDatabase } from '../db/database.ts';
import { type Actor, systemActor } from '../principal.ts';
import { evidenceOf, ticketPriorityOfRank } from '../repositories/predictive-ticket-repository.ts';
import type { ServiceRepositories } from '../repositories/service-repositories.ts';
import { openKeyOf } from '../tickets/ticket-writes.ts';
import { giveHeldFeedback, type HeldFeedback } from './demo-seed-history-feedback.ts';
import { bookedSlotStart } from './demo-seed-history-punctuality.ts';
import { isoWeekday } from './local-time.ts';

/*
 * One job of the demo history, walked through the real lifecycle by the real repositories, each
 * step at its own time on the history's clock: so the audit log, the parts, the feedback and the
 * claims are what the platform itself would have recorded.
 */

export interface HistoryClock {
  set(at: number): void;
}

export interface HistoryTechnician {
  id: string;
  partnerId: string;
  home: Position;
  /** Local minutes after midnight and ISO weekdays (1 = Monday), in a zone `utcOffsetMin` ahead of UTC. */
  workingHours: { startMinute: number; endMinute: number; days: readonly number[]; utcOffsetMin: number };
  vanId: string | null;
  skills: { skill: Skill; certifiedUntil: number | null }[];
}

export interface HistoryContext {
  repos: ServiceRepositories;
  db: ServiceDatabase;
  clock: HistoryClock;
  rng: Rng;
  /** Seeds when each visit was booked for against when it began (`bookedSlotStart`). */
  punctualitySeed: number;
  technicians: HistoryTechnician[];
  devices: Map<string, { model: DeviceModel; position: Position; customerId: string | null }>;
  warehouseId: string | null;
  /** When the history ends. */
  until: number;
  /**
   * Verdicts on visits closed from this time on wait here until every job has run: then the history
   * knows which customer's latest visits to leave unrated (`leaveDemoCustomerToRate`).
   */
  feedback: { heldFrom: number; held: HeldFeedback[] };
}

const returnsChasedAfterDays = 45;

export const historyActors = {
  automation: systemActor('demo-history'),
  verifier: systemActor('fix-verifier'),
  planner: {
    id: 'system:demo-history-planner',
    role: 'planner',
    customerId: null,
    technicianId: null,
  } as Actor,
};

/**
 * The predictive ticket the automation opened when the failure was flagged, with the evidence it had
 * then (the history scores no model, so there are no drivers).
 */
/**
 * The predictive ticket the automation would have opened on the risk that flagged the failure: its
 * priority and SLA come from the same plan (`predictiveTicketPlan`: the failure expected, a safety
 * margin, the priority's response time), not from the contract's breakdown response time.
 */
export async function openPredictiveTicket(
  ctx: HistoryContext,
  f: { deviceId: string; model: DeviceModel; failureMode: string; component: string; flaggedAt: number },
  score: { pFail: number; daysLeft: number },
): Promise<Ticket> {
  const mode = findFailureMode(f.model, f.failureMode);
  const risk: Risk = {
    deviceId: f.deviceId,
    model: f.model,
    component: f.component,
    failureMode: f.failureMode,
    pFail: score.pFail,
    daysLeft: score.daysLeft,
    horizonDays: 14,
    modelVersion: 'demo-history',
    scoredAt: f.flaggedAt,
    dataUntil: f.flaggedAt,
    drivers: [],
  };
  const plan = predictiveTicketPlan(risk);
  return ctx.repos.tickets.create(
    {
      kind: 'predictive',
      deviceId: f.deviceId,
      failureMode: f.failureMode,
      description: `Predicted ${mode ? inSentence(mode.label) : f.failureMode}: p=${score.pFail.toFixed(2)} within 14 days`,
      priority: ticketPriorityOfRank[plan.priority],
      slaDueAt: plan.slaDueAt,
      openKey: openKeyOf(f.deviceId, f.component),
      evidence: evidenceOf(risk),
    },
    historyActors.automation,
  );
}

const technicianActor = (id: string): Actor => ({
  id: `technician:${id}`,
  role: 'technician',
  customerId: null,
  technicianId: id,
});

/** A qualified technician near the device, picked among the three nearest (load spreads). */
export function pickTechnician(
  ctx: HistoryContext,
  at: Position,
  skill: Skill | null,
  until: number,
): HistoryTechnician | null {
  const able = ctx.technicians.filter(
    (t) =>
      skill === null ||
      t.skills.some((s) => s.skill === skill && (s.certifiedUntil === null || s.certifiedUntil > until)),
  );
  const near = able.sort((a, b) => distanceKm(a.home, at) - distanceKm(b.home, at)).slice(0, 3);
  return near.length === 0 ? null : ctx.rng.pick(near);
}

/**
 * The first quarter hour at or after `at` when the technician can start `minutes` of work inside
 * their working hours on one of their working days (the history's visits happen in the daytime).
 */
export function nextWorkingSlot(technician: HistoryTechnician, at: number, minutes: number): number {
  const { startMinute, endMinute, days, utcOffsetMin } = technician.workingHours;
  const lastStart = Math.max(startMinute, endMinute - minutes);
  let t = Math.ceil(at / (15 * MINUTE_MS)) * 15 * MINUTE_MS;
  for (let i = 0; i < 9; i++) {
    const dayStart = localDayStart(t, utcOffsetMin);
    const minute = (t - dayStart) / MINUTE_MS;
    if (days.includes(isoWeekday(dayStart, utcOffsetMin))) {
      if (minute < startMinute) return dayStart + startMinute * MINUTE_MS;
      if (minute <= lastStart) return t;
    }
    t = dayStart + DAY_MS;
  }
  return t;
}

/** The catalogue part that fixes a failure mode of a device model, if any. */
export async function partFor(db: ServiceDatabase, model: DeviceModel, failureMode: string) {
  return db
    .selectFrom('part_fixes')
    .innerJoin('parts', 'parts.sku', 'part_fixes.sku')
    .select(['parts.sku', 'parts.return_required'])
    .where('parts.model', '=', model)
    .where('part_fixes.failure_mode', '=', failureMode)
    .orderBy('parts.consumable')
    .executeTakeFirst();
}

export interface JobPlan {
  ticketId: string;
  deviceId: string;
  model: DeviceModel;
  failureMode: string | null;
  technician: HistoryTechnician;
  /** When the ticket was assigned, and the on-site visit(s). */
  assignedAt: number;
  visits: number[];
  /** A part is fitted on the last visit; the first visit of two found the part missing. */
  fitPart: boolean;
  /** The fix holds (verified) or nothing measurable changed (flagged, then closed as no fault found). */
  fixed: boolean;
  resolution: string;
}

/** Walks an opened ticket through assignment, visits, parts, resolution, verification and closure. */
/**
 * When a job carried out by the history was (or, past the history's end, would be) closed, and
 * whether it was closed before the history ends.
 */
export interface JobClosure {
  closedAt: number;
  closed: boolean;
}

export async function carryOutJob(ctx: HistoryContext, job: JobPlan): Promise<JobClosure> {
  const { repos, clock } = ctx;
  const tech = technicianActor(job.technician.id);
  const minutes = (job.failureMode && findFailureMode(job.model, job.failureMode)?.repairMinutes) || 60;
  const part = job.fitPart && job.failureMode ? await partFor(ctx.db, job.model, job.failureMode) : undefined;
  let at = job.assignedAt;
  for (const [i, repairAt] of job.visits.entries()) {
    // The simulator's repair times carry fractions of a millisecond; tickets hold whole ones (the
    // API's schema refuses anything else), so the visit starts on the minute.
    const visit = Math.round(repairAt / MINUTE_MS) * MINUTE_MS;
    const last = i === job.visits.length - 1;
    // Work starts when the technician arrives (the repair time), near the slot booked or late for it.
    const slot = bookedSlotStart(job.technician, visit, at, ctx.punctualitySeed);
    clock.set(at);
    await repos.tickets.assign(
      job.ticketId,
      { technicianId: job.technician.id, appointment: { start: slot, end: slot + minutes * MINUTE_MS } },
      historyActors.planner,
    );
    // Accepted ahead of the slot, not of the (perhaps late) arrival.
    clock.set(Math.max(at, Math.min(at + 2 * HOUR_MS, slot - HOUR_MS)));
    await repos.tickets.transition(job.ticketId, { to: 'dispatched' }, tech);
    clock.set(visit);
    await repos.tickets.transition(job.ticketId, { to: 'on_site' }, tech);
    if (last && part && job.technician.vanId) {
      // The van was restocked for the job: history must not eat the demo's present stock.
      clock.set(visit + 20 * MINUTE_MS);
      await repos.stock.receive(job.technician.vanId, part.sku, 1);
      await repos.tickets.recordPartUsed(
        job.ticketId,
        {
          sku: part.sku,
          locationId: job.technician.vanId,
          quantity: 1,
          removedSerial: `RM-${job.ticketId.slice(0, 8)}`,
        },
        tech,
      );
    }
    at = visit + minutes * MINUTE_MS;
    clock.set(at);
    await repos.tickets.transition(
      job.ticketId,
      {
        to: 'resolved',
        reason: last
          ? job.resolution
          : 'The part needed was not in the van; it is ordered for a second visit',
      },
      tech,
    );
    if (!last) {
      clock.set(at + 6 * HOUR_MS);
      await repos.tickets.transition(
        job.ticketId,
        { to: 'flagged_for_review', reason: 'No change in the degraded metrics after the visit' },
        historyActors.verifier,
      );
      clock.set(at + 7 * HOUR_MS);
      await repos.tickets.transition(
        job.ticketId,
        { to: 'open', reason: 'Second visit with the part' },
        historyActors.planner,
      );
      at += 8 * HOUR_MS;
    }
  }
  const verifiedAt = at + 2 * 24 * HOUR_MS;
  const closedAt = verifiedAt + 24 * HOUR_MS;
  // About one unit in seven is not sent back at first; a network chases those, so only the last
  // weeks' are still due when the history ends, not a year's backlog. Drawn before the history's end
  // can stop the job, so that every later draw is the same wherever the history ends.
  const chased = verifiedAt < ctx.until - returnsChasedAfterDays * DAY_MS;
  const sentBack = Boolean(
    part && part.return_required === 1 && ctx.warehouseId && (ctx.rng.next() < 0.85 || chased),
  );
  // Nothing is dated after the history's end: a job resolved in its last days is still watched (the
  // live fix verifier takes it over), or verified and not closed yet.
  if (verifiedAt > ctx.until) return { closedAt, closed: false };
  clock.set(verifiedAt);
  if (job.fixed) {
    await repos.tickets.transition(job.ticketId, { to: 'verified' }, historyActors.verifier);
  } else {
    await repos.tickets.transition(
      job.ticketId,
      { to: 'flagged_for_review', reason: 'Nothing measurable changed after the visit' },
      historyActors.verifier,
    );
  }
  if (closedAt > ctx.until) return { closedAt, closed: false };
  clock.set(closedAt);
  if (job.fixed) await repos.tickets.transition(job.ticketId, { to: 'closed' }, historyActors.verifier);
  else
    await repos.tickets.transition(
      job.ticketId,
      { to: 'closed', reason: 'No fault found on site: the prediction was a false alarm' },
      historyActors.planner,
    );
  const returnedAt = verifiedAt + 3 * 24 * HOUR_MS;
  if (part && sentBack && ctx.warehouseId && returnedAt <= ctx.until) {
    clock.set(returnedAt);
    await repos.transfers.recordPartReturn({
      ticketId: job.ticketId,
      sku: part.sku,
      locationId: ctx.warehouseId,
      serial: `RM-${job.ticketId.slice(0, 8)}`,
    });
  }
  return { closedAt, closed: true };
}

/** The customer's verdict on a closed job, sometimes a complaint (resolved a few days later), and the claim. */
export async function afterCare(
  ctx: HistoryContext,
  ticketId: string,
  { closedAt, closed }: JobClosure,
  mood: 'pleased' | 'neutral' | 'annoyed',
): Promise<void> {
  const { repos, clock, rng } = ctx;
  const ticket = await repos.tickets.get(ticketId);
  if (!ticket) return;
  // Every draw is made whether or not it is written, so the rest of the history does not depend on
  // where it ends; what would happen after its end (a verdict, a claim) is not written.
  const happened = (at: number) => closed && at <= ctx.until;
  if (ticket.customerId && rng.next() < 0.65) {
    // On the history's clock's minute, as the feedback's own time is recorded.
    const at = Math.round((closedAt + rng.uniform(2, 48) * HOUR_MS) / MINUTE_MS) * MINUTE_MS;
    const csat = { pleased: [4, 5, 5, 5], neutral: [3, 4, 4, 5], annoyed: [1, 2, 3, 3] }[mood];
    const nps = { pleased: [8, 9, 10, 10], neutral: [6, 7, 8, 9], annoyed: [2, 4, 5, 6] }[mood];
    const complaint = rng.next() < { pleased: 0.01, neutral: 0.06, annoyed: 0.6 }[mood];
    // Drawn whether or not it is a complaint, so that the draws after it stay where they were; a
    // complaint is not rated as a delight (no 5 stars and a 10 beside "came later than promised").
    const drawnCsat = rng.pick(csat);
    const drawnNps = rng.pick(nps);
    const late = mood !== 'annoyed';
    const verdict: HeldFeedback = {
      ticketId,
      customerId: ticket.customerId,
      at,
      body: {
        csat: complaint ? Math.min(drawnCsat, 3) : drawnCsat,
        nps: complaint ? Math.min(drawnNps, 6) : drawnNps,
        complaint,
        ...(complaint ? { comment: complaintOf(late, ticketId).comment } : {}),
      },
      // Most are settled within days; the rest wait on the partner for one to three weeks (drawn from
      // the ticket, not the generator, so the draws after it stay where they were).
      complaintResolvedAt: complaint
        ? rng.next() < 0.85
          ? at + rng.uniform(6, 120) * HOUR_MS
          : at + (6 + (idNumber(ticketId) % 15)) * DAY_MS
        : null,
      complaintResolution: complaint ? complaintOf(late, ticketId).answer : null,
    };
    // A complaint resolved after the history's end is still open at its end.
    if (verdict.complaintResolvedAt !== null && !happened(verdict.complaintResolvedAt))
      verdict.complaintResolvedAt = null;
    // A verdict after the history's end is not given yet: the customer may give it in the live platform.
    if (happened(at)) {
      if (closedAt >= ctx.feedback.heldFrom) ctx.feedback.held.push(verdict);
      else await giveHeldFeedback(ctx, [verdict], new Set());
    }
  }
  if (ticket.coverage !== 'chargeable') {
    const claimedAt = closedAt + 3 * 24 * HOUR_MS;
    const decidedAt = closedAt + 10 * 24 * HOUR_MS;
    const approved = rng.next() < 0.92;
    if (!happened(claimedAt)) return;
    clock.set(claimedAt);
    const coversLabour =
      ticket.coverage === 'in_warranty' || (await labourCovered(ctx.db, ticket.contractId));
    const claim = await repos.feedback.fileClaim(ticketId, coversLabour ? 45_000 : 0);
    // A claim filed in the history's last week is still with the manufacturer.
    if (!happened(decidedAt)) return;
    clock.set(decidedAt);
    if (approved) await repos.feedback.decideClaim(claim.id, 'approved');
    else await repos.feedback.decideClaim(claim.id, 'rejected', 'Removed part not received for inspection');
  }
}

async function labourCovered(db: ServiceDatabase, contractId: string | null): Promise<boolean> {
  if (contractId === null) return false;
  const plan = await db
    .selectFrom('contracts')
    .innerJoin('amc_plans', 'amc_plans.id', 'contracts.plan_id')
    .select('amc_plans.covers_labour')
    .where('contracts.id', '=', contractId)
    .executeTakeFirst();
  return plan?.covers_labour === 1;
}

/**
 * What the service desk did about a complaint in the history, told the way a desk writes it; chosen
 * by the ticket, not drawn, so that the history's draws stay where they were.
 */
/** A number read from a ticket id, to vary the history's words and waits without a draw. */
function idNumber(ticketId: string): number {
  let n = 0;
  for (let i = 0; i < ticketId.length; i++) n = (n * 31 + ticketId.charCodeAt(i)) % 1_000_003;
  return n;
}

/** What a complaining customer wrote, and what the service desk did about it. */
function complaintOf(late: boolean, ticketId: string): { comment: string; answer: string } {
  const complaints = late
    ? [
        {
          comment: 'The technician came later than promised.',
          answer:
            'Called the customer: the technician was held up at the job before. Apologised and waived the visit charge.',
        },
        {
          comment: 'Nobody told me the visit was moved; I waited at home all morning.',
          answer:
            'Apologised by phone; the partner now sends an arrival-time message when a technician runs late.',
        },
        {
          comment: 'The technician arrived well after the window and was in a hurry to leave.',
          answer:
            'Spoke to the partner about the route that day and to the customer; offered a free check at a time of their choosing.',
        },
      ]
    : [
        {
          comment: 'Took two visits and I had to call twice.',
          answer:
            'Spoke to the customer and the partner: the second call was not logged. Apologised and added a free service check to the contract.',
        },
        {
          comment: 'The technician did not have the part and I had to take another day off.',
          answer:
            'Called the customer: the part was missing on the first visit. Apologised; the partner now checks the van stock before the visit.',
        },
        {
          comment: 'The same fault came back a week after the repair.',
          answer:
            'Sent a senior technician, who found a second worn part; replaced it free of charge and called the customer a week later.',
        },
      ];
  return complaints[idNumber(ticketId) % complaints.length]!;
}
