import {
  type Skill,
  type Technician as TechnicianRecord,
  type Ticket,
  ValidationError,
} from '@aftercare/core';
import {
  type DayOption,
  DEFAULT_MAX_DAYS,
  laterDayMayHelp,
  rankDayOptions,
  windowOnDay,
} from '../automation/dispatch-day-choice.ts';
import { cheapestInsertion, heldAt } from '../automation/dispatch-insertion.ts';
import { compileProblem, diagnoseUnassigned } from '../automation/dispatch-problem.ts';
import type {
  DispatchJob,
  Technician as PlanningTechnician,
  UnassignedReason,
} from '../automation/dispatch-types.ts';
import { type Position, roadKm } from '../automation/geo.ts';
import { DAY_MS, MINUTE_MS, type Priority, type TimeWindow } from '../automation/work.ts';
import type { Actor } from '../principal.ts';
import { daysBetween, utcOffsetMinutes } from './local-time.ts';
import { type PlanningData, planningZone } from './planning-data.ts';

/** The job to give a technician: where, what skill, how long, and when work may start. */
export interface DispatchRequest {
  ticket: Ticket;
  position: Position;
  skill: Skill;
  certificationRequired: boolean;
  durationMinutes: number;
  priority: Priority;
  /** Work may start inside it; the days it touches are tried in order. */
  window: TimeWindow;
  slaDueAt: number;
  /** Only this partner's technicians (an AMC visit goes to the partner servicing the site). */
  partnerId?: string;
  /** Only these technicians (the demo technician account's, given the work waiting near them). */
  technicianIds?: readonly string[];
}

export interface DispatchOptions {
  /** Days of the window tried at most. Default 10 (the longest response time, P4). */
  maxDays?: number;
}

export type DispatchOutcome =
  | {
      kind: 'assigned';
      technicianId: string;
      appointment: TimeWindow;
      slaMet: boolean;
      ticket: Ticket;
    }
  | {
      kind: 'unassigned';
      /** The planner's reason on the last day tried; `no_day_in_window` when no day could be tried. */
      reason: UnassignedReason | 'no_day_in_window';
      daysTried: number;
    };

const newJobId = 'new';

/** A day on which a technician can take the ticket, and where in their day. */
interface DayCandidate extends DayOption {
  technicianId: string;
  startAt: number;
  endAt: number;
  /** Road km from the technician's previous stop (or home) to the job. */
  fromPreviousKm: number;
}

/**
 * Gives a ticket a technician and an appointment. Each day of the window (earliest first) is looked at
 * as it is really booked: every technician's jobs held at their appointments, and the ticket put where
 * it adds the least driving to a qualified technician's day (`cheapestInsertion`, the rule the
 * backtest's dispatch replay measures). The days that can take it are ranked by `rankDayOptions`: the
 * SLA first, then that driving with each day of waiting charged by priority, so a job that can wait
 * joins a day on which a technician is in the area anyway when that saves enough. Days after the SLA
 * are only looked at when no earlier day can take the job. The assignment goes through
 * `tickets.assign`, which enforces skill and certification once more, and keeps the window in the audit.
 * Whole days are planned (and load balanced) by `planDispatch` through the dispatch routes.
 */
export async function dispatchTicket(
  data: PlanningData,
  request: DispatchRequest,
  actor: Actor,
  options: DispatchOptions = {},
): Promise<DispatchOutcome> {
  const technicians = (await data.technicians()).filter(
    (t) =>
      (request.partnerId === undefined || t.partnerId === request.partnerId) &&
      (request.technicianIds === undefined || request.technicianIds.includes(t.id)),
  );
  const dayOffset = utcOffsetMinutes(planningZone(technicians), request.window.start);
  const days = daysBetween(request.window.start, request.window.end, dayOffset).slice(
    0,
    options.maxDays ?? DEFAULT_MAX_DAYS,
  );
  let reason: UnassignedReason | 'no_day_in_window' = 'no_day_in_window';
  const candidates: DayCandidate[] = [];
  for (const dayStart of days) {
    if (!laterDayMayHelp(candidates, dayStart, request.slaDueAt)) break;
    const window = windowOnDay(request.window, dayStart);
    if (window === null) continue;
    const found = await planDay(data, request, technicians, dayStart, dayOffset, window);
    if ('reason' in found) reason = found.reason;
    else candidates.push(found);
  }
  for (const choice of rankDayOptions(candidates, request.priority)) {
    const appointment = { start: choice.startAt, end: choice.endAt };
    const current = request.ticket;
    const outcome = {
      kind: 'assigned' as const,
      technicianId: choice.technicianId,
      appointment,
      slaMet: choice.slaMet,
    };
    if (
      current.technicianId === choice.technicianId &&
      current.appointment?.start === appointment.start &&
      current.appointment.end === appointment.end
    )
      return { ...outcome, ticket: current };
    try {
      const ticket = await data.repositories.tickets.assign(
        request.ticket.id,
        {
          technicianId: choice.technicianId,
          appointment,
          plannedWithin: request.window,
          reason: `dispatch planner: ${choice.fromPreviousKm.toFixed(1)} km from the previous stop, ${choice.marginalKm.toFixed(1)} km added to the day, ${
            choice.slaMet ? 'within' : 'after'
          } the SLA`,
        },
        actor,
      );
      return { ...outcome, ticket };
    } catch (err) {
      // The repository's own check (status, skill, certification through the appointment) said no.
      if (!(err instanceof ValidationError)) throw err;
      reason = 'no_technician_available';
    }
  }
  return { kind: 'unassigned', reason, daysTried: days.length };
}

/** The new job's best place on one day, among the technicians' days as they are really booked. */
async function planDay(
  data: PlanningData,
  request: DispatchRequest,
  technicians: readonly TechnicianRecord[],
  dayStart: number,
  dayOffset: number,
  window: TimeWindow,
): Promise<DayCandidate | { reason: UnassignedReason }> {
  const team = await data.teamOn(technicians, dayStart, dayOffset);
  const booked = await bookedJobs(data, team, dayStart, request.ticket.id);
  const newJob: DispatchJob = {
    id: newJobId,
    position: request.position,
    skill: request.skill,
    certificationRequired: request.certificationRequired,
    durationMinutes: request.durationMinutes,
    slaDueAt: request.slaDueAt,
    window,
    priority: request.priority,
  };
  const routes = team.map((t) => booked.get(t.id) ?? []);
  const insertion = cheapestInsertion(dayStart, team, routes, newJob);
  if (!insertion) {
    const p = compileProblem({ dayStart, technicians: team, jobs: [newJob] });
    return { reason: diagnoseUnassigned(p, 0) };
  }
  const technician = team[insertion.technician]!;
  const previous = routes[insertion.technician]![insertion.position - 1]?.position ?? technician.homeBase;
  return {
    dayStart,
    technicianId: technician.id,
    startAt: insertion.startAt,
    endAt: insertion.startAt + request.durationMinutes * MINUTE_MS,
    fromPreviousKm: roadKm(previous, request.position),
    slaMet: insertion.slaMet,
    marginalKm: insertion.marginalKm,
  };
}

/**
 * The day's assigned work as jobs held at their appointments. An existing job is modelled as needing a
 * skill its own technician holds and no certification: it is there to take their time, not to be
 * re-assigned. The ticket being dispatched is left out: its current slot is what may change.
 */
export async function bookedJobs(
  data: PlanningData,
  team: readonly PlanningTechnician[],
  dayStart: number,
  exceptTicketId: string,
  /** The day's assigned work when the caller has read it already (`data.assignedWork` on the day). */
  dayWork?: readonly Ticket[],
) {
  const assigned = (dayWork ?? (await data.assignedWork(dayStart, dayStart + DAY_MS))).filter(
    (t) => t.id !== exceptTicketId,
  );
  const byTechnician = new Map<string, DispatchJob[]>();
  for (const ticket of assigned) {
    const technician = team.find((t) => t.id === ticket.technicianId);
    if (!technician || technician.skills.length === 0) continue;
    const position = await data.positionOf(ticket);
    if (!position) continue;
    const appointment = ticket.appointment!;
    const skill =
      technician.skills.find((s) => s.skill === ticket.requiredSkill)?.skill ?? technician.skills[0]!.skill;
    const job: DispatchJob = {
      id: `booked:${ticket.id}`,
      position,
      skill,
      certificationRequired: false,
      durationMinutes: Math.max(1, (appointment.end - appointment.start) / MINUTE_MS),
      slaDueAt: appointment.start,
      window: heldAt(appointment.start),
      priority: 1,
    };
    const own = byTechnician.get(technician.id) ?? [];
    own.push(job);
    byTechnician.set(technician.id, own);
  }
  for (const own of byTechnician.values()) own.sort((a, b) => a.window!.start - b.window!.start);
  return byTechnician;
}
