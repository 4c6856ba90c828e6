import {
  ConflictError,
  type DispatchBoardJob,
  type DispatchBoardTechnician,
  type DispatchDayView,
  type DispatchFigures,
  failureMode,
  NotFoundError,
  notBegunStatuses,
  type Skill,
  type Technician as TechnicianRecord,
  type Ticket,
} from '@aftercare/core';
import { amcTicketMinutes } from '../automation/amc-schedule.ts';
import { buildPlan, compileProblem, type Problem, scheduleRoute } from '../automation/dispatch-problem.ts';
import type {
  DispatchDay,
  DispatchJob,
  DispatchPlan,
  Technician as PlanningTechnician,
} from '../automation/dispatch-types.ts';
import { driveMinutes, type Position, roadKm } from '../automation/geo.ts';
import { MIN_NOTICE_HOURS } from '../automation/risk-policy.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../automation/work.ts';
import { rankOfTicketPriority } from '../repositories/predictive-ticket-repository.ts';
import { CORRECTIVE_NOTICE_MS } from './corrective-dispatch.ts';
import { utcOffsetMinutes } from './local-time.ts';
import { collectPages, type PlanningData, page, planningTechnician, planningZone } from './planning-data.ts';
import { ticketWaitsForRouteFill } from './route-fill-wait.ts';

/**
 * One day of dispatch as the planner's board shows it: the technicians with their working hours,
 * the jobs booked on the day driven in time order (arrival, travel, SLA) with the visits already made
 * where and when they were made, and the open jobs waiting for a technician. The routes are measured with the dispatch planners' own functions
 * (`compileProblem`, `scheduleRoute`, `buildPlan`), so the board, a hand-made move and the automation
 * agree on distances, times and the SLA.
 */

/** How late after the agreed start a technician may begin before the slot counts as missed. */
export const SLOT_TOLERANCE_MINUTES = 30;
/** Open jobs due within this many days after the day are offered as unassigned work. */
const backlogDays = 7;
const maxBacklog = 100;

/** A ticket as a job of the day, with what the planners need to place it. */
export interface DayJob {
  /**
   * The job's key on the day: its ticket's id, or for a visit made, the ticket's id and when the visit
   * began (a ticket reopened and booked again can have a visit made and a visit to come on one day).
   */
  id: string;
  ticket: Ticket;
  position: Position | null;
  customerName: string | null;
  siteName: string | null;
  skill: Skill | null;
  certificationRequired: boolean;
  durationMinutes: number;
  /**
   * The visit made on the day, for a job done: when its work began and ended on site. The day holds it
   * there rather than at the slot booked, so the board shows when the visit happened (hours before
   * the customer expected anyone, say), and counts the minutes it took. Its ticket is as it stood for
   * the visit: the technician who made it and the slot booked then.
   */
  made: { start: number; end: number } | null;
}

export interface DayModel {
  date: string;
  timezone: string;
  dayStart: number;
  records: TechnicianRecord[];
  team: PlanningTechnician[];
  partnerNames: Map<string, string>;
  /**
   * Jobs booked on the day with a position, in the order they are (or were) done: those still to do or under way,
   * and the visits already made, so that the day's driving and load do not shrink as work is done.
   */
  booked: DayJob[];
  /** Open jobs without a technician, soonest due first. */
  backlog: DayJob[];
  /** Booked jobs that cannot be drawn (no position): named so the board can say so. */
  unplaceable: string[];
  /** Open jobs with no technician due after the backlog's week. */
  waitingLater: { jobs: number; amcVisits: number };
}

/**
 * Splits the open tickets with no technician into the backlog (due before the end of the week after
 * the day, soonest first, at most `maxBacklog`) and a count of those due later.
 */
export function waitingWork<T extends Pick<Ticket, 'id' | 'kind' | 'technicianId' | 'slaDueAt'>>(
  open: readonly T[],
  dayStart: number,
) {
  const horizon = dayStart + (1 + backlogDays) * DAY_MS;
  const waiting = open.filter((t) => t.technicianId === null);
  const later = waiting.filter((t) => t.slaDueAt >= horizon);
  return {
    backlog: waiting
      .filter((t) => t.slaDueAt < horizon)
      .sort((a, b) => a.slaDueAt - b.slaDueAt || a.id.localeCompare(b.id))
      .slice(0, maxBacklog),
    later: { jobs: later.length, amcVisits: later.filter((t) => t.kind === 'amc_visit').length },
  };
}

/** The local midnight starting `date` (YYYY-MM-DD) in `timezone`, epoch ms. */
export function dayStartOf(date: string, timezone: string): number {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  const offset = utcOffsetMinutes(timezone, utcMidnight + DAY_MS / 2);
  return utcMidnight - offset * MINUTE_MS;
}

/** Statuses of a job nobody has begun: a planner may still move it. */
export const movableStatuses: ReadonlySet<Ticket['status']> = new Set(notBegunStatuses);

/** Whether a planner may still move the job: not begun, and not a visit already made (of a ticket reopened since). */
export function isMovable(job: DayJob): boolean {
  return job.made === null && movableStatuses.has(job.ticket.status);
}

/** Reads the day: technicians, jobs booked on it, and the open jobs waiting for a technician. */
export async function loadDay(data: PlanningData, date: string): Promise<DayModel> {
  const repos = data.repositories;
  const records = (await data.technicians()).slice().sort((a, b) => a.name.localeCompare(b.name));
  const timezone = planningZone(records);
  const dayStart = dayStartOf(date, timezone);
  const offset = utcOffsetMinutes(timezone, dayStart + DAY_MS / 2);
  const team = records.map((t) => planningTechnician(t, dayStart, offset));
  const partners = await collectPages((o) => repos.partners.listPartners({ limit: page, offset: o }));
  const partnerNames = new Map(partners.map((p) => [p.id, p.name]));

  const [toDo, done] = await Promise.all([
    data.assignedWork(dayStart, dayStart + DAY_MS),
    data.finishedWork(dayStart, dayStart + DAY_MS),
  ]);
  const onTeam = (t: Ticket) => team.some((m) => m.id === t.technicianId);
  const open = await collectPages((o) => repos.tickets.list({ status: ['open'], limit: page, offset: o }));
  const waiting = waitingWork(open, dayStart);

  const describe = jobDescriber(data);
  const booked: DayJob[] = [];
  const unplaceable: string[] = [];
  const jobs = await Promise.all([
    ...toDo.filter(onTeam).map(describe),
    ...done
      .filter((d) => onTeam(d.ticket))
      .map(async (d) => ({
        ...(await describe(d.ticket)),
        id: `${d.ticket.id}@${d.made.start}`,
        durationMinutes: Math.max(1, Math.round((d.made.end - d.made.start) / MINUTE_MS)),
        made: d.made,
      })),
  ]);
  for (const job of jobs) {
    if (job.position === null) unplaceable.push(job.ticket.id);
    else booked.push(job);
  }
  booked.sort((a, b) => heldFrom(a) - heldFrom(b) || a.id.localeCompare(b.id));
  const backlog = await Promise.all(waiting.backlog.map(describe));
  return {
    date,
    timezone,
    dayStart,
    records,
    team,
    partnerNames,
    booked,
    backlog,
    unplaceable,
    waitingLater: waiting.later,
  };
}

/** What a ticket needs as a job: where, which skill, whether certified work, how long. */
function jobDescriber(data: PlanningData) {
  const repos = data.repositories;
  // Many jobs share a customer: each is read once per day.
  const customers = new Map<string, ReturnType<typeof repos.customers.get>>();
  const customerOf = (id: string) => {
    let customer = customers.get(id);
    if (!customer) {
      customer = repos.customers.get(id);
      customers.set(id, customer);
    }
    return customer;
  };
  return async (ticket: Ticket): Promise<DayJob> => {
    const [position, device, site, customer] = await Promise.all([
      data.positionOf(ticket),
      repos.devices.get(ticket.deviceId),
      ticket.siteId === null ? null : data.site(ticket.siteId),
      ticket.customerId === null ? null : customerOf(ticket.customerId),
    ]);
    const mode =
      device && ticket.failureMode !== null ? failureMode(device.model, ticket.failureMode) : undefined;
    const booked = ticket.appointment
      ? Math.round((ticket.appointment.end - ticket.appointment.start) / MINUTE_MS)
      : null;
    const fallback = ticket.kind === 'amc_visit' ? amcTicketMinutes(1) : (mode?.repairMinutes ?? 60);
    return {
      id: ticket.id,
      ticket,
      position,
      customerName: customer?.name ?? null,
      siteName: site?.name ?? null,
      skill: ticket.requiredSkill,
      certificationRequired: mode?.certificationRequired ?? false,
      durationMinutes: Math.max(1, booked ?? fallback),
      made: null,
    };
  };
}

/** Where a booked job sits in its technician's day: when it was made if it was, else its slot. */
function heldFrom(job: DayJob): number {
  return job.made?.start ?? job.ticket.appointment!.start;
}

/** The skill a job asks of whoever does it; a job that names none counts as the technician's own. */
function skillFor(job: DayJob, technician: PlanningTechnician | undefined): Skill {
  if (job.skill !== null) return job.skill;
  const own = technician?.skills.map((s) => s.skill) ?? [];
  return own.includes('general_service') ? 'general_service' : (own[0] ?? 'general_service');
}

/** A job as the planners see it, held at `start` (with the slot's tolerance). */
function planningJob(
  job: DayJob,
  start: number | null,
  owner: PlanningTechnician | undefined,
  toleranceMinutes: number,
): DispatchJob {
  return {
    id: job.id,
    position: job.position!,
    skill: skillFor(job, owner),
    certificationRequired: job.certificationRequired,
    durationMinutes: job.durationMinutes,
    slaDueAt: job.ticket.slaDueAt,
    // A visit made is held at the minute it began.
    window: start === null ? null : { start, end: start + (job.made ? 0 : toleranceMinutes) * MINUTE_MS },
    priority: rankOfTicketPriority[job.ticket.priority],
  };
}

/** An assignment of the day: per technician, the jobs in order, each held at a start time. */
export type Assignment = Map<string, { job: DayJob; start: number }[]>;

export function currentAssignment(model: DayModel): Assignment {
  const routes: Assignment = new Map(model.team.map((t) => [t.id, []]));
  for (const job of model.booked) routes.get(job.ticket.technicianId!)?.push({ job, start: heldFrom(job) });
  return routes;
}

/** The day, compiled for the dispatch functions, and the routes of `assignment` as job indices. */
export function compileAssignment(
  model: DayModel,
  assignment: Assignment,
  toleranceMinutes = SLOT_TOLERANCE_MINUTES,
) {
  const jobs: DispatchJob[] = [];
  const routes: number[][] = [];
  const madeIds = new Set(model.booked.filter((j) => j.made !== null).map((j) => j.id));
  for (const technician of model.team) {
    const stops = [...(assignment.get(technician.id) ?? [])].sort((a, b) => a.start - b.start);
    routes.push(
      stops.map(({ job, start }) => {
        jobs.push(planningJob(job, start, technician, toleranceMinutes));
        return jobs.length - 1;
      }),
    );
  }
  const day: DispatchDay = { dayStart: model.dayStart, technicians: model.team, jobs };
  // A visit made before the working day began (so it was) sets off from home early enough for it.
  const overrides = new Map<string, { startMin: number }>();
  model.team.forEach((technician, t) => {
    const first = routes[t]![0];
    const job = first === undefined ? undefined : jobs[first]!;
    if (!job || !madeIds.has(job.id)) return;
    const leaves =
      (job.window!.start - model.dayStart) / MINUTE_MS -
      driveMinutes(roadKm(technician.homeBase, job.position));
    if (leaves < technician.workingHours.startMinute) overrides.set(technician.id, { startMin: leaves });
  });
  const problem = compileProblem(day, overrides);
  const plan = buildPlan(problem, routes, 'replan');
  return { day, problem, routes, plan, made: madeIds };
}

/** Problems with one technician's route as booked, in words. */
export function routeProblems(
  p: Problem,
  t: number,
  route: readonly number[],
  names: Map<string, string>,
  /** Visits already made: what they did is history, and only their minutes count against the day. */
  made: ReadonlySet<string> = new Set(),
): string[] {
  const technician = p.day.technicians[t]!;
  if (route.length === 0) return [];
  const problems: string[] = [];
  if (!technician.available) problems.push(`${technician.name} is not working on this day`);
  const stops = scheduleRoute(p, t, route);
  let work = 0;
  route.forEach((j, i) => {
    const job = p.day.jobs[j]!;
    const stop = stops[i]!;
    const title = names.get(job.id) ?? job.id;
    work += job.durationMinutes;
    if (made.has(job.id)) return;
    if (p.qualified[t * p.n + j] !== 1) {
      const has = technician.skills.some((s) => s.skill === job.skill);
      problems.push(
        has
          ? `${technician.name} holds no ${job.skill.replaceAll('_', ' ')} certification valid on the day for "${title}"`
          : `${technician.name} lacks the ${job.skill.replaceAll('_', ' ')} skill for "${title}"`,
      );
    }
    if (stop.startAt > p.winEnd[j]! * MINUTE_MS + p.day.dayStart + 1) {
      const late = Math.round((stop.startAt - job.window!.start) / MINUTE_MS);
      problems.push(
        `"${title}" starts ${late} min after its slot: ${i === 0 ? 'the drive there' : 'the job before and the drive'} take too long`,
      );
    }
    if (stop.endAt > p.day.dayStart + p.starts[t]!.endMin * MINUTE_MS + 1)
      problems.push(`"${title}" ends after ${technician.name}'s working hours`);
  });
  if (work > technician.capacityMinutes)
    problems.push(
      `${technician.name} would have ${Math.round(work)} min of work against a capacity of ${technician.capacityMinutes} min`,
    );
  return problems;
}

/** The day's figures from a plan of it; `unassigned` counts the open jobs still waiting. */
export function figuresOf(model: DayModel, plan: DispatchPlan, unassigned: number): DispatchFigures {
  const stops = plan.routes.flatMap((r) => r.stops);
  const slaMet = stops.filter((s) => s.slaMet).length;
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    jobs: stops.length + unassigned,
    assigned: stops.length,
    unassigned,
    slaMet,
    slaMissed: stops.length - slaMet,
    travelKm: round(plan.routes.reduce((s, r) => s + r.travelKm, 0)),
    travelMinutes: Math.round(plan.routes.reduce((s, r) => s + r.travelMinutes, 0)),
    workMinutes: Math.round(plan.routes.reduce((s, r) => s + r.workMinutes, 0)),
    capacityMinutes: model.team.filter((t) => t.available).reduce((s, t) => s + t.capacityMinutes, 0),
    techniciansUsed: plan.routes.filter((r) => r.stops.length > 0).length,
  };
}

export function titles(model: DayModel): Map<string, string> {
  return new Map([...model.booked, ...model.backlog].map((j) => [j.id, j.ticket.title]));
}

function boardJob(
  job: DayJob,
  stop: DispatchPlan['routes'][number]['stops'][number] | null,
  predictiveRouteFill: boolean,
): DispatchBoardJob {
  const t = job.ticket;
  return {
    ticketId: t.id,
    title: t.title,
    kind: t.kind,
    status: t.status,
    priority: t.priority,
    version: t.version,
    deviceId: t.deviceId,
    customerName: job.customerName,
    siteName: job.siteName,
    position: job.position,
    skill: job.skill,
    certificationRequired: job.certificationRequired,
    durationMinutes: job.durationMinutes,
    slaDueAt: t.slaDueAt,
    appointment: t.appointment,
    technicianId: t.technicianId,
    key: job.id,
    made: job.made,
    // A visit made is drawn when it was made, even where the route could not hold it there (the job
    // before it ran over): that is what the office should see.
    arriveAt: job.made?.start ?? stop?.arriveAt ?? null,
    startAt: job.made?.start ?? stop?.startAt ?? null,
    endAt: job.made?.end ?? stop?.endAt ?? null,
    travelKm: stop?.travelKm ?? null,
    travelMinutes: stop?.travelMinutes ?? null,
    slaMet: stop?.slaMet ?? null,
    waitsForRouteFill: ticketWaitsForRouteFill(t, predictiveRouteFill),
  };
}

/**
 * GET /api/dispatch/day: the board's data. `predictiveRouteFill`: the route fill places non-urgent
 * predictive work too (`AFTERCARE_PREDICTIVE_ROUTE_FILL`), so such work is marked as waiting for it.
 */
export async function dispatchDayView(
  data: PlanningData,
  date: string,
  predictiveRouteFill = false,
): Promise<DispatchDayView> {
  const model = await loadDay(data, date);
  const { problem, routes, plan, made } = compileAssignment(model, currentAssignment(model));
  const byId = new Map(model.booked.map((j) => [j.id, j]));
  const names = titles(model);
  const technicians: DispatchBoardTechnician[] = model.team.map((tech, t) => {
    const record = model.records[t]!;
    const route = plan.routes[t]!;
    const working = tech.workingHours.endMinute > tech.workingHours.startMinute;
    return {
      id: tech.id,
      name: tech.name,
      partnerId: tech.partnerId,
      partnerName: model.partnerNames.get(tech.partnerId) ?? tech.partnerId,
      home: tech.homeBase,
      workingHours:
        tech.available && working
          ? {
              start: model.dayStart + tech.workingHours.startMinute * MINUTE_MS,
              end: model.dayStart + tech.workingHours.endMinute * MINUTE_MS,
            }
          : null,
      available: tech.available,
      unavailableReason: tech.available
        ? null
        : record.status === 'unavailable'
          ? 'marked unavailable'
          : record.skills.length === 0
            ? 'no skills'
            : 'not a working day',
      skills: tech.skills.map((s) => ({ skill: s.skill, certifiedUntil: s.certifiedUntil })),
      capacityMinutes: tech.capacityMinutes,
      workMinutes: route.workMinutes,
      travelKm: route.travelKm,
      travelMinutes: route.travelMinutes,
      warnings: routeProblems(problem, t, routes[t]!, names, made),
    };
  });
  const jobs = plan.routes.flatMap((route) =>
    route.stops.map((stop) => boardJob(byId.get(stop.jobId)!, stop, predictiveRouteFill)),
  );
  const figures = figuresOf(model, plan, model.backlog.length);
  return {
    date,
    timezone: model.timezone,
    dayStart: model.dayStart,
    dayEnd: model.dayStart + DAY_MS,
    technicians,
    jobs,
    unassigned: model.backlog.map((j) => boardJob(j, null, predictiveRouteFill)),
    waitingLater: model.waitingLater,
    figures,
    bookingNotice: {
      preventiveMinutes: (MIN_NOTICE_HOURS * HOUR_MS) / MINUTE_MS,
      correctiveMinutes: CORRECTIVE_NOTICE_MS / MINUTE_MS,
    },
  };
}

/** The job a move is about: booked on the day, waiting in the backlog, or any other assignable ticket. */
export async function findDayJob(data: PlanningData, model: DayModel, ticketId: string): Promise<DayJob> {
  // A visit already made is history, not the ticket's job (which may be waiting again, reopened).
  const known = [...model.booked, ...model.backlog].find((j) => j.id === ticketId);
  if (known) return known;
  const ticket = await data.repositories.tickets.get(ticketId);
  if (ticket === null) throw new NotFoundError('ticket', ticketId);
  if (!movableStatuses.has(ticket.status))
    throw new ConflictError(`ticket ${ticketId} is ${ticket.status}: it can no longer be moved`);
  return jobDescriber(data)(ticket);
}
