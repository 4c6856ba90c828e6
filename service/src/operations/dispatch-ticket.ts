import { type Skill, type Ticket, ValidationError } from '@aftercare/core';
import { planDispatch } from '../automation/dispatch-plan.ts';
import type {
  DispatchDay,
  DispatchJob,
  PlannedStop,
  Technician as PlanningTechnician,
  UnassignedReason,
} from '../automation/dispatch-types.ts';
import type { Position } from '../automation/geo.ts';
import { DAY_MS, MINUTE_MS, type Priority, type TimeWindow } from '../automation/work.ts';
import type { Actor } from '../principal.ts';
import { daysBetween, utcOffsetMinutes } from './local-time.ts';
import { type PlanningData, planningTechnician } from './planning-data.ts';

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
}

export interface DispatchOptions {
  /** Ruin-and-recreate rounds of the planner per day tried. Default 30. */
  improvementRounds?: number;
  seed?: number;
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
/**
 * How late a job held at a time may start: the plan's times are rounded to the millisecond, so a job
 * held exactly at its planned start could be refused for a rounding error.
 */
const pinSlackMs = 60_000;
const pinnedAt = (start: number): TimeWindow => ({ start, end: start + pinSlackMs });
/** Technicians the planner may pick and the check then refuses, per day, before the day is given up. */
const maxRefusalsPerDay = 3;

/**
 * Gives a ticket a technician and an appointment with the dispatch planner. For each day of the window
 * (earliest first) the planner sees that day's technicians and the work already assigned to them, each
 * existing job held at its appointment, plus the new job; it picks the technician. The pick is then
 * checked against that technician's real day (their own jobs as booked, plus the new one where the
 * planner put it), because the planner is free to imagine the other jobs elsewhere; a pick that does
 * not fit is excluded and the day planned again. The assignment goes through `tickets.assign`, which
 * enforces skill and certification once more.
 */
export async function dispatchTicket(
  data: PlanningData,
  request: DispatchRequest,
  actor: Actor,
  options: DispatchOptions = {},
): Promise<DispatchOutcome> {
  const technicians = (await data.technicians()).filter(
    (t) => request.partnerId === undefined || t.partnerId === request.partnerId,
  );
  const zone = commonZone(technicians.map((t) => t.workingHours.timezone));
  const dayOffset = zone === null ? 0 : utcOffsetMinutes(zone, request.window.start);
  const days = daysBetween(request.window.start, request.window.end, dayOffset).slice(
    0,
    options.maxDays ?? 10,
  );
  let reason: UnassignedReason | 'no_day_in_window' = 'no_day_in_window';
  for (const dayStart of days) {
    const window = {
      start: Math.max(request.window.start, dayStart),
      end: Math.min(request.window.end, dayStart + DAY_MS),
    };
    if (window.end <= window.start) continue;
    const team = technicians.map((t) => planningTechnician(t, dayStart, dayOffset));
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
    const refused = new Set<string>();
    for (let attempt = 0; attempt <= maxRefusalsPerDay; attempt++) {
      const day: DispatchDay = {
        dayStart,
        technicians: team.map((t) => (refused.has(t.id) ? { ...t, available: false } : t)),
        jobs: [...booked.jobs, newJob],
      };
      const plan = planDispatch(day, {
        improvementRounds: options.improvementRounds ?? 30,
        seed: options.seed ?? 1,
      });
      const route = plan.routes.find((r) => r.stops.some((s) => s.jobId === newJobId));
      const stop = route?.stops.find((s) => s.jobId === newJobId);
      if (!route || !stop) {
        reason = plan.unassigned.find((u) => u.jobId === newJobId)?.reason ?? 'no_time_left';
        break;
      }
      const technician = team.find((t) => t.id === route.technicianId)!;
      if (!fitsRealDay(dayStart, technician, booked.byTechnician.get(technician.id) ?? [], newJob, stop)) {
        refused.add(technician.id);
        continue;
      }
      const appointment = { start: stop.startAt, end: stop.endAt };
      const current = request.ticket;
      if (
        current.technicianId === technician.id &&
        current.appointment?.start === appointment.start &&
        current.appointment.end === appointment.end
      ) {
        return {
          kind: 'assigned',
          technicianId: technician.id,
          appointment,
          slaMet: stop.slaMet,
          ticket: current,
        };
      }
      try {
        const ticket = await data.repositories.tickets.assign(
          request.ticket.id,
          {
            technicianId: technician.id,
            appointment,
            reason: `dispatch planner: ${stop.travelKm.toFixed(1)} km from the previous stop, ${
              stop.slaMet ? 'within' : 'after'
            } the SLA`,
          },
          actor,
        );
        return { kind: 'assigned', technicianId: technician.id, appointment, slaMet: stop.slaMet, ticket };
      } catch (err) {
        // The repository's own check (status, skill, certification through the appointment) said no.
        if (!(err instanceof ValidationError)) throw err;
        refused.add(technician.id);
      }
    }
  }
  return { kind: 'unassigned', reason, daysTried: days.length };
}

/**
 * The day's assigned work as jobs held at their appointments. An existing job is modelled as needing a
 * skill its own technician holds and no certification: it is there to take their time, not to be
 * re-assigned. The ticket being dispatched is left out: its current slot is what may change.
 */
async function bookedJobs(
  data: PlanningData,
  team: readonly PlanningTechnician[],
  dayStart: number,
  exceptTicketId: string,
) {
  const assigned = (await data.assignedWork(dayStart, dayStart + DAY_MS)).filter(
    (t) => t.id !== exceptTicketId,
  );
  const jobs: DispatchJob[] = [];
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
      window: pinnedAt(appointment.start),
      priority: 1,
    };
    jobs.push(job);
    byTechnician.set(technician.id, [...(byTechnician.get(technician.id) ?? []), job]);
  }
  return { jobs, byTechnician };
}

/**
 * Whether the new job, where the planner put it, fits the technician's day as it is really booked:
 * planned alone with their own jobs, it is placed and leaves no more of them out than before.
 */
function fitsRealDay(
  dayStart: number,
  technician: PlanningTechnician,
  own: readonly DispatchJob[],
  job: DispatchJob,
  stop: PlannedStop,
): boolean {
  const solo = (jobs: DispatchJob[]) =>
    planDispatch({ dayStart, technicians: [technician], jobs }, { improvementRounds: 0 });
  const before = solo([...own]).unassigned.length;
  const pinned = { ...job, window: pinnedAt(stop.startAt) };
  const after = solo([...own, pinned]);
  return !after.unassigned.some((u) => u.jobId === job.id) && after.unassigned.length === before;
}

/** The time zone most of the technicians work in (the day's planning clock); null without technicians. */
function commonZone(zones: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const z of zones) counts.set(z, (counts.get(z) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
}
