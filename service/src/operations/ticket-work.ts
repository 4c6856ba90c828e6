import { type Logger, type Ticket, topics } from '@aftercare/core';
import { amcTicketMinutes } from '../automation/amc-schedule.ts';
import type { UnassignedReason } from '../automation/dispatch-types.ts';
import { isQualified } from '../automation/dispatch-types.ts';
import { defaultSourcing } from '../automation/parts-sourcing.ts';
import type { RequiredWork } from '../automation/risk-policy.ts';
import { DAY_MS, HOUR_MS, localDayStart, MINUTE_MS, type TimeWindow } from '../automation/work.ts';
import type { Actor } from '../principal.ts';
import { rankOfTicketPriority } from '../repositories/predictive-ticket-repository.ts';
import { type DispatchOptions, type DispatchOutcome, dispatchTicket } from './dispatch-ticket.ts';
import { utcOffsetMinutes } from './local-time.ts';
import { type PlanningData, planningTechnician } from './planning-data.ts';
import { predictiveWorkWaits } from './route-fill-wait.ts';
import { bookSiteCompanions } from './site-companions.ts';
import { sourcePartForTicket } from './source-ticket-part.ts';
import type { PartOutcome } from './ticket-part-sourcing.ts';

export interface TicketWorkContext {
  data: PlanningData;
  now: number;
  actor: Actor;
  logger: Logger;
  dispatch: DispatchOptions;
  throttle: DispatchThrottle;
  /**
   * An evening route fill runs (`createAmcRouteFill`): predictive work that is not urgent waits for it
   * (`predictiveWorkWaits`) instead of being booked at once. Off where nothing would ever fill it.
   */
  routeFill?: boolean;
}

export interface TicketWorkReport {
  /**
   * `kept`: the assignment it had still holds; `not_tried`: retried too recently; `waiting`: left for
   * the evening route fill to give a day.
   */
  dispatch: 'assigned' | 'kept' | 'unassigned' | 'not_tried' | 'skipped' | 'waiting';
  technicianId: string | null;
  parts: PartOutcome['kind'] | 'not_needed' | 'skipped';
}

/**
 * Makes sure a ticket with work still to plan (open or scheduled, not yet accepted by a technician) has
 * a qualified technician with an appointment inside `window`, its part on the way to them, and, for a
 * failure a command can clear, the remote fix offered first. Every step first looks at what is already
 * there, so running it again changes nothing; a step that found no answer is tried again later.
 */
export async function ensureTicketWork(
  ctx: TicketWorkContext,
  initial: Ticket,
  work: RequiredWork,
  window: TimeWindow,
): Promise<TicketWorkReport> {
  let ticket = initial;
  const log = ctx.logger.child({ ticketId: ticket.id, deviceId: ticket.deviceId });
  if (ticket.status !== 'open' && ticket.status !== 'scheduled')
    return { dispatch: 'skipped', technicianId: ticket.technicianId, parts: 'skipped' };
  const position = await ctx.data.positionOf(ticket);
  if (!position) {
    log.warn('the device has neither a site nor a location: no technician or part can be planned');
    return { dispatch: 'skipped', technicianId: ticket.technicianId, parts: 'skipped' };
  }
  const durationMinutes = work.repairMinutes + (ticket.kind === 'amc_visit' ? amcTicketMinutes(1) : 0);
  const dispatchIn = async (within: TimeWindow): Promise<DispatchOutcome> => {
    ctx.throttle.tried(ticket.id, ctx.now);
    const outcome = await dispatchTicket(
      ctx.data,
      {
        ticket,
        position,
        skill: work.skill,
        certificationRequired: work.certificationRequired,
        durationMinutes,
        priority: rankOfTicketPriority[ticket.priority],
        window: within,
        slaDueAt: ticket.slaDueAt,
      },
      ctx.actor,
      ctx.dispatch,
    );
    if (outcome.kind === 'assigned') ticket = outcome.ticket;
    else
      log.info({ reason: outcome.reason, daysTried: outcome.daysTried }, 'no technician for the ticket yet');
    return outcome;
  };

  let dispatch: TicketWorkReport['dispatch'] = 'kept';
  if (!(await assignmentHolds(ctx.data, ticket, work))) {
    if (await waitsForFill(ctx, ticket, window, durationMinutes)) dispatch = 'waiting';
    else if (!ctx.throttle.mayTry(ticket.id, ctx.now)) dispatch = 'not_tried';
    else {
      const inWindow = await dispatchIn(window);
      dispatch = inWindow.kind;
      if (inWindow.kind === 'unassigned' && ticket.kind === 'predictive')
        dispatch = (await bookLate(ctx, ticket, window, inWindow.reason, dispatchIn)).kind;
      if (inWindow.kind === 'assigned' && ticket.kind === 'amc_visit') {
        const along = await bookSiteCompanions(ctx.data, ticket, ctx.actor, ctx.now);
        if (along.length > 0)
          log.info({ tickets: along.map((t) => t.id) }, "the site's other AMC visits go on the same trip");
      }
    }
  }

  let parts: TicketWorkReport['parts'] = 'not_needed';
  if (work.partSku !== null) {
    const sku = work.partSku;
    const source = () =>
      sourcePartForTicket(
        ctx.data,
        ticket,
        { sku, sitePosition: position, durationMinutes, earliest: window.start },
        { now: ctx.now, actor: ctx.actor },
      );
    let part = await source();
    // The part cannot be there in time: move the appointment to after it arrives, if the window allows.
    if (part.kind === 'unavailable' && part.reason === 'too_late' && ticket.status === 'scheduled') {
      // A minute over the handover time: the planner's times are rounded to the millisecond.
      const later = {
        start: part.earliestAt + (defaultSourcing.handoverMinutes + 1) * MINUTE_MS,
        end: window.end,
      };
      if (later.start < later.end && (await dispatchIn(later)).kind === 'assigned') part = await source();
    }
    parts = part.kind;
    if (part.kind === 'unavailable' || part.kind === 'no_destination') {
      log.warn({ part }, 'the part cannot reach the job in time');
      await addNoteOnce(
        ctx,
        ticket.id,
        part.kind === 'unavailable' && part.reason === 'out_of_stock'
          ? `Part ${sku} is out of stock at every location: order it from the supplier before this visit can fix the ${work.label.toLowerCase()}.`
          : `Part ${sku} cannot reach the technician before the appointment: move the appointment or send the part by hand.`,
      );
    }
  }

  if (work.remoteFirst) {
    await addNoteOnce(
      ctx,
      ticket.id,
      `Remote fix first: send "${work.remoteFirst.command}" on ${topics.commands(ticket.deviceId)}. If the device answers that it cleared the fault and its readings then come back (or the risk falls below the closing threshold), ${ticket.kind === 'amc_visit' ? 'the repair is taken out of this AMC visit, which still goes ahead for its maintenance' : 'the ticket is resolved remotely and nobody travels'}.`,
    );
  }
  return { dispatch, technicianId: ticket.technicianId, parts };
}

/** Days past its window a predictive repair nobody could take in time is booked into, late. */
export const LATE_BOOKING_DAYS = 6;

const unassignedWords: Record<UnassignedReason | 'no_day_in_window', string> = {
  no_skilled_technician: 'nobody in the network has the skill',
  certification_invalid: 'no technician with the skill holds a valid certification',
  no_technician_available: 'no qualified technician works then',
  no_time_left: 'the qualified technicians have no time left',
  no_day_in_window: 'no working day falls in it',
};

/**
 * A predicted failure nobody can reach before its latest safe time is booked at the first slot after
 * it rather than never (a corrective call is booked the same way), and the ticket says why, once: a
 * planner seeing "after the SLA" knows the platform tried, and can move someone by hand.
 */
async function bookLate(
  ctx: TicketWorkContext,
  ticket: Ticket,
  window: TimeWindow,
  reason: UnassignedReason | 'no_day_in_window',
  dispatchIn: (within: TimeWindow) => Promise<DispatchOutcome>,
): Promise<DispatchOutcome> {
  const late = await dispatchIn({ start: window.start, end: window.end + LATE_BOOKING_DAYS * DAY_MS });
  const why = `No qualified technician can come before the latest safe time (${unassignedWords[reason]})`;
  await addNoteOnce(
    ctx,
    ticket.id,
    late.kind === 'assigned'
      ? `${why}: booked at the first slot after it. Move someone by hand on the dispatch board to come sooner.`
      : `${why}, nor in the ${LATE_BOOKING_DAYS} days after it (${unassignedWords[late.reason]}): the platform tries again every hour; book it by hand on the dispatch board.`,
  );
  return late;
}

/**
 * Whether the ticket's current assignment still stands: a technician qualified for the work on the
 * appointment's day, starting no later than the SLA. A dispatched ticket (accepted) is never moved here.
 */
async function assignmentHolds(data: PlanningData, ticket: Ticket, work: RequiredWork): Promise<boolean> {
  if (ticket.technicianId === null || ticket.appointment === null) return false;
  if (ticket.status !== 'scheduled') return true;
  const record = await data.technician(ticket.technicianId);
  if (!record) return false;
  const offset = utcOffsetMinutes(record.workingHours.timezone, ticket.appointment.start);
  const dayStart = localDayStart(ticket.appointment.start, offset);
  const technician = planningTechnician(record, dayStart, offset);
  const job = {
    id: ticket.id,
    position: technician.homeBase,
    skill: work.skill,
    certificationRequired: work.certificationRequired,
    durationMinutes: work.repairMinutes,
    slaDueAt: ticket.slaDueAt,
    window: null,
    priority: rankOfTicketPriority[ticket.priority],
  };
  return isQualified(technician, job, dayStart) && ticket.appointment.start <= ticket.slaDueAt;
}

/** Predictive work nobody holds yet that the route fill will place (a ticket raised to P2 no longer waits). */
async function waitsForFill(
  ctx: TicketWorkContext,
  ticket: Ticket,
  window: TimeWindow,
  durationMinutes: number,
): Promise<boolean> {
  if (!ctx.routeFill || ticket.kind !== 'predictive' || ticket.technicianId !== null) return false;
  return predictiveWorkWaits(
    ctx.data,
    rankOfTicketPriority[ticket.priority],
    window,
    durationMinutes,
    ctx.now,
  );
}

async function addNoteOnce(ctx: TicketWorkContext, ticketId: string, text: string): Promise<void> {
  const detail = await ctx.data.repositories.tickets.detail(ticketId);
  if (detail.notes.some((n) => n.text === text)) return;
  await ctx.data.repositories.tickets.addNote(ticketId, text, ctx.actor);
}

/**
 * How often a ticket that found no technician is planned again: a kept risk comes back with every
 * scoring run, and the planner would give the same answer until the network or the day changes.
 */
export class DispatchThrottle {
  private readonly last = new Map<string, number>();

  constructor(private readonly retryMs: number = HOUR_MS) {}

  mayTry(ticketId: string, now: number): boolean {
    const at = this.last.get(ticketId);
    return at === undefined || now - at >= this.retryMs;
  }

  tried(ticketId: string, now: number): void {
    for (const [id, at] of this.last) if (now - at >= this.retryMs) this.last.delete(id);
    this.last.set(ticketId, now);
  }

  /** A ticket just opened is planned at once, whatever happened to an earlier one. */
  allow(ticketId: string): void {
    this.last.delete(ticketId);
  }
}
