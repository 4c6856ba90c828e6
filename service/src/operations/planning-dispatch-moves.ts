import {
  AftercareError,
  ConflictError,
  type DispatchPreview,
  type DispatchPreviewBody,
  type DispatchReplan,
  NotFoundError,
  ValidationError,
} from '@aftercare/core';
import { APPOINTMENT_STEP_MINUTES } from '../automation/dispatch-problem.ts';
import { type DispatchEvent, replan } from '../automation/dispatch-replan.ts';
import type { DispatchPlan } from '../automation/dispatch-types.ts';
import { driveMinutes, roadKm } from '../automation/geo.ts';
import { DAY_MS, MINUTE_MS } from '../automation/work.ts';
import type { Actor } from '../principal.ts';
import {
  type Assignment,
  compileAssignment,
  currentAssignment,
  type DayJob,
  type DayModel,
  figuresOf,
  findDayJob,
  isMovable,
  loadDay,
  routeProblems,
  titles,
} from './dispatch-day.ts';
import { timeOfDay } from './local-time.ts';
import type { PlanningData } from './planning-data.ts';
import { reassignTicket } from './reassign-ticket.ts';

/**
 * What a planner's hand-made change does to a day, before it is made: one job moved to a technician
 * and a start time (preview), or a technician dropping out and their jobs going to others (replan).
 * The figures before and after come from the same dispatch functions the automation plans with.
 */

/** How far a re-planned job's start may slip past its agreed slot. */
const REPLAN_SLIP_MINUTES = 120;

/** The assignment without the job `jobId` (a visit made of the same ticket stays). */
function without(assignment: Assignment, jobId: string): Assignment {
  return new Map([...assignment].map(([id, stops]) => [id, stops.filter((s) => s.job.id !== jobId)]));
}

function technicianEffect(
  model: DayModel,
  t: number,
  before: DispatchPlan,
  after: DispatchPlan,
  warnings: string[],
) {
  const tech = model.team[t]!;
  const side = (plan: DispatchPlan) => {
    const route = plan.routes[t]!;
    return {
      travelKm: route.travelKm,
      workMinutes: route.workMinutes,
      slaMissed: route.stops.filter((s) => !s.slaMet).length,
      jobs: route.stops.length,
    };
  };
  return {
    technicianId: tech.id,
    name: tech.name,
    before: side(before),
    after: side(after),
    capacityMinutes: tech.capacityMinutes,
    warnings,
  };
}

/**
 * The earliest start at which `job` fits technician `t`'s day without a new problem: first thing in
 * the morning, or after one of their jobs (plus the drive); the end of their day when nothing fits.
 */
function firstFreeStart(model: DayModel, assignment: Assignment, t: number, job: DayJob): number {
  const tech = model.team[t]!;
  const stops = [...(assignment.get(tech.id) ?? [])].sort((a, b) => a.start - b.start);
  // Suggested starts fall on the local quarter hour, as the planners' appointments do.
  const round = (ms: number) => {
    const step = APPOINTMENT_STEP_MINUTES * MINUTE_MS;
    return model.dayStart + Math.ceil((ms - model.dayStart) / step - 1e-9) * step;
  };
  const drive = (from: { lat: number; lon: number }) => driveMinutes(roadKm(from, job.position!)) * MINUTE_MS;
  const candidates = [
    round(model.dayStart + tech.workingHours.startMinute * MINUTE_MS + drive(tech.homeBase)),
    ...stops.map((s) =>
      round(s.start + s.job.durationMinutes * MINUTE_MS + drive(s.job.position ?? tech.homeBase)),
    ),
  ].sort((a, b) => a - b);
  const names = titles(model);
  const base = compileAssignment(model, assignment);
  const existing = new Set(routeProblems(base.problem, t, base.routes[t]!, names, base.made));
  for (const start of candidates) {
    const trial = new Map(assignment);
    trial.set(tech.id, [...stops, { job, start }]);
    const compiled = compileAssignment(model, trial);
    const problems = routeProblems(compiled.problem, t, compiled.routes[t]!, names, compiled.made);
    if (problems.every((p) => existing.has(p))) return start;
  }
  return candidates[candidates.length - 1]!;
}

/** POST /api/dispatch/preview */
export async function previewMove(data: PlanningData, body: DispatchPreviewBody): Promise<DispatchPreview> {
  const model = await loadDay(data, body.date);
  const job = await findDayJob(data, model, body.ticketId);
  if (!isMovable(job))
    throw new ConflictError(`ticket ${job.ticket.id} is ${job.ticket.status}: it can no longer be moved`);
  if (job.position === null)
    throw new ConflictError(
      `ticket ${job.ticket.id}: its device has neither a site nor a location, so no route can reach it`,
    );
  const t = model.team.findIndex((m) => m.id === body.technicianId);
  if (t < 0) throw new NotFoundError('technician', body.technicianId);
  const tech = model.team[t]!;
  const dayEnd = model.dayStart + DAY_MS;
  if (body.start !== undefined && (body.start < model.dayStart || body.start >= dayEnd))
    throw new ValidationError(`body.start: must fall on ${body.date} (${model.timezone})`, ['start']);

  const beforeAssignment = currentAssignment(model);
  const rest = without(beforeAssignment, job.id);
  const start = body.start ?? firstFreeStart(model, rest, t, job);
  const afterAssignment = new Map(rest);
  afterAssignment.set(tech.id, [...(rest.get(tech.id) ?? []), { job, start }]);

  const before = compileAssignment(model, beforeAssignment);
  const after = compileAssignment(model, afterAssignment);
  const names = titles(model);
  names.set(job.ticket.id, job.ticket.title);
  const problemsOf = (compiled: typeof before, i: number) =>
    routeProblems(compiled.problem, i, compiled.routes[i]!, names, compiled.made);
  const existing = new Set(problemsOf(before, t));
  const problems = problemsOf(after, t).filter((p) => !existing.has(p));

  const stop = after.plan.routes[t]!.stops.find((s) => s.jobId === job.ticket.id)!;
  const inBacklog = model.backlog.some((j) => j.ticket.id === job.ticket.id);
  const from = model.team.findIndex((m) => m.id === job.ticket.technicianId);
  const involved = [...new Set([from, t].filter((i) => i >= 0))];
  return {
    ticketId: job.ticket.id,
    technicianId: tech.id,
    version: job.ticket.version,
    appointment: { start: stop.startAt, end: stop.startAt + job.durationMinutes * MINUTE_MS },
    feasible: problems.length === 0,
    problems,
    slaMet: stop.slaMet,
    before: figuresOf(model, before.plan, model.backlog.length),
    after: figuresOf(model, after.plan, model.backlog.length - (inBacklog ? 1 : 0)),
    technicians: involved.map((i) =>
      technicianEffect(model, i, before.plan, after.plan, problemsOf(after, i)),
    ),
  };
}

export interface ReplanRequest {
  date: string;
  technicianId: string;
  at?: number | undefined;
  apply: boolean;
}

/** POST /api/dispatch/replan: the technician stops at `at`; the jobs they have not begun go to others. */
export async function replanDay(
  data: PlanningData,
  request: ReplanRequest,
  now: number,
  actor: Actor,
): Promise<DispatchReplan> {
  const model = await loadDay(data, request.date);
  const t = model.team.findIndex((m) => m.id === request.technicianId);
  if (t < 0) throw new NotFoundError('technician', request.technicianId);
  const tech = model.team[t]!;
  const dayBegins = model.dayStart + tech.workingHours.startMinute * MINUTE_MS;
  const at = request.at ?? Math.max(now, dayBegins);
  return settleReplan(
    data,
    model,
    { kind: 'technician_unavailable', technicianId: tech.id, at },
    {
      apply: request.apply,
      reason: `re-planned: ${tech.name} is unavailable from ${timeOfDay(Math.round((at - model.dayStart) / MINUTE_MS))}`,
      now,
      actor,
    },
  );
}

export interface RunningLateRequest {
  date: string;
  ticketId: string;
  expectedEndAt: number;
  apply: boolean;
}

/**
 * POST /api/dispatch/running-late: a job under way, or one its technician is driving to, ends only at
 * `expectedEndAt`. The rest of that technician's day shifts; the jobs that would then break their
 * slot or SLA go to others, or are named when nobody can take them.
 */
export async function runningLate(
  data: PlanningData,
  request: RunningLateRequest,
  now: number,
  actor: Actor,
): Promise<DispatchReplan> {
  const model = await loadDay(data, request.date);
  const ticket = await data.repositories.tickets.get(request.ticketId);
  if (ticket === null) throw new NotFoundError('ticket', request.ticketId);
  const job = model.booked.find((j) => j.id === ticket.id);
  if (ticket.status !== 'on_site')
    throw new ConflictError(
      `ticket ${ticket.id} is ${ticket.status.replace('_', ' ')}: only a job under way can run late`,
    );
  if (!job) throw new ConflictError(`ticket ${ticket.id} is under way but not booked on ${request.date}`);
  const bookedEnd = job.ticket.appointment!.end;
  if (request.expectedEndAt <= Math.max(now, bookedEnd) || request.expectedEndAt >= model.dayStart + DAY_MS)
    throw new ValidationError(
      `expectedEndAt: must be after the booked end (${timeOfDay(Math.round((bookedEnd - model.dayStart) / MINUTE_MS))}) and now, on ${request.date}: an earlier end does not run late`,
    );
  const tech = model.team.find((m) => m.id === job.ticket.technicianId)!;
  return settleReplan(
    data,
    model,
    { kind: 'job_running_late', jobId: job.ticket.id, at: now, expectedEndAt: request.expectedEndAt },
    {
      apply: request.apply,
      reason: `re-planned: ${tech.name}'s "${job.ticket.title}" runs late, until ${timeOfDay(Math.round((request.expectedEndAt - model.dayStart) / MINUTE_MS))}`,
      now,
      actor,
      extend: { ticketId: job.ticket.id, end: request.expectedEndAt },
    },
  );
}

/**
 * The day re-planned around `event`: who takes which job (and when), the jobs nobody can take, and
 * the day's figures before and after; written to the tickets when `apply`. A job begun or finished
 * was worked, whatever its slot said (started early, or an event entered after the fact): it stays
 * with whoever worked it.
 */
async function settleReplan(
  data: PlanningData,
  model: DayModel,
  event: DispatchEvent,
  options: {
    apply: boolean;
    reason: string;
    now: number;
    actor: Actor;
    /** The job under way that now ends later: its own appointment is extended before the rest moves. */
    extend?: { ticketId: string; end: number };
  },
): Promise<DispatchReplan> {
  const current = compileAssignment(model, currentAssignment(model), REPLAN_SLIP_MINUTES);
  const begun = new Set(model.booked.filter((j) => !isMovable(j)).map((j) => j.id));
  const result = replan(current.day, current.plan, event, { keep: begun });
  const stopOf = new Map(result.plan.routes.flatMap((r) => r.stops.map((s) => [s.jobId, s] as const)));
  const reasons = new Map(result.plan.unassigned.map((u) => [u.jobId, u.reason]));
  const jobs = new Map(model.booked.map((j) => [j.id, j]));
  const moved: DispatchReplan['moved'] = [];
  const shifted: DispatchReplan['shifted'] = [];
  const unplaced: DispatchReplan['unplaced'] = [];
  for (const move of result.moved) {
    const stop = stopOf.get(move.jobId);
    if (move.to === null || !stop) {
      unplaced.push({
        ticketId: move.jobId,
        reason: (reasons.get(move.jobId) ?? 'no_time_left').replace(/_/g, ' '),
      });
      continue;
    }
    const job = jobs.get(move.jobId)!;
    moved.push({
      ticketId: move.jobId,
      from: move.from,
      to: move.to,
      appointment: { start: stop.startAt, end: stop.startAt + job.durationMinutes * MINUTE_MS },
      slaMet: stop.startAt <= job.ticket.slaDueAt,
    });
  }

  const movedIds = new Set(result.moved.map((m) => m.jobId));
  const startedBefore = new Map(
    current.plan.routes.flatMap((r) => r.stops.map((s) => [s.jobId, s.startAt] as const)),
  );
  for (const route of result.plan.routes)
    for (const stop of route.stops) {
      const job = jobs.get(stop.jobId);
      // Kept by its technician, not begun, and pushed later by the event (a job that already started
      // behind its slot before it is the board's warning, not this re-plan's doing).
      if (!job || movedIds.has(stop.jobId) || !isMovable(job)) continue;
      const was = startedBefore.get(stop.jobId) ?? job.ticket.appointment!.start;
      if (stop.startAt <= Math.max(was, job.ticket.appointment!.start) + MINUTE_MS) continue;
      shifted.push({
        ticketId: stop.jobId,
        technicianId: route.technicianId,
        appointment: { start: stop.startAt, end: stop.startAt + job.durationMinutes * MINUTE_MS },
        slaMet: stop.startAt <= job.ticket.slaDueAt,
      });
    }

  const late = options.extend;
  const extended = late
    ? {
        ticketId: late.ticketId,
        appointment: { start: jobs.get(late.ticketId)!.ticket.appointment!.start, end: late.end },
      }
    : null;
  if (options.apply) {
    // First, so that a visit finished meanwhile stops the re-plan (409) before anything else moves.
    if (late)
      await data.repositories.tickets.extendVisit(
        late.ticketId,
        { end: late.end, reason: options.reason, expectedVersion: jobs.get(late.ticketId)!.ticket.version },
        options.actor,
      );
    /** Writes one new booking; a refusal (skill, certification, a change meanwhile) is said, not thrown. */
    const write = async (
      ticketId: string,
      technicianId: string,
      appointment: { start: number; end: number },
    ) => {
      try {
        // A part reserved on the first technician's van follows the job to its new technician;
        // refused (stock taken meanwhile) the job stays moved, and the next sourcing of the part moves it.
        await reassignTicket(
          data,
          ticketId,
          {
            technicianId,
            appointment,
            reason: options.reason,
            expectedVersion: jobs.get(ticketId)!.ticket.version,
          },
          options.actor,
          { now: options.now },
        );
        return true;
      } catch (err) {
        if (!(err instanceof AftercareError) || err instanceof NotFoundError) throw err;
        unplaced.push({ ticketId, reason: err.message });
        return false;
      }
    };
    const retimed: typeof shifted = [];
    for (const shift of shifted)
      if (await write(shift.ticketId, shift.technicianId, shift.appointment)) retimed.push(shift);
    shifted.splice(0, shifted.length, ...retimed);
    const written: typeof moved = [];
    for (const move of moved) if (await write(move.ticketId, move.to!, move.appointment!)) written.push(move);
    moved.splice(0, moved.length, ...written);
  }
  return {
    applied: options.apply,
    extended,
    moved,
    shifted,
    unplaced,
    before: figuresOf(model, current.plan, model.backlog.length),
    after: figuresOf(model, result.plan, model.backlog.length + unplaced.length),
  };
}
