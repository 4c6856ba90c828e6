import type { Skill } from '@aftercare/core';
import {
  hindsightDispatch,
  NETWORK_WORKING_WEEKDAYS,
  replayDispatchStream,
  type StreamJob,
  type StreamOutcome,
  type Technician,
  weekdayOf,
} from '@aftercare/service/automation';
import type { DispatchComparisonFigures, VisitRecord } from './backtest-types.ts';
import { round } from './ledger.ts';

/** Technicians work the demo network's week (as the demo world seeds them), in local time. */
const workingWeekdays = new Set(NETWORK_WORKING_WEEKDAYS);

/**
 * The greedy rule (earliest day, nearest free qualified technician) and the planner (the day and place
 * `dispatchTicket` would choose) on the backtest's own stream of visits: each visit becomes a job that
 * arrives when the automation booked it, with the window it was free to go in (where, skill,
 * certification, time on site, SLA due, priority), and both rules book the same jobs, one after
 * another, onto the same technicians' days. Travel, SLA met and jobs left unassigned are summed over the run; the SLA counts first visits
 * only (a revisit for a part is judged on its ticket's first visit). The hindsight plans of the same visits
 * say how much of the possible saving the planner takes without knowing what comes next, with and
 * without making any visit wait longer than the planner did.
 */
export function compareDispatchDays(
  visits: readonly VisitRecord[],
  technicians: readonly Technician[],
  utcOffsetMin: number,
): DispatchComparisonFigures {
  const jobs = streamJobsOf(visits, new Map(technicians.map((t) => [t.id, t.partnerId])));
  const judged = new Set(visits.flatMap((v, i) => (v.first ? [`job-${i}`] : [])));
  const options = {
    utcOffsetMin,
    teamOn: (dayStart: number) => {
      const working = workingWeekdays.has(weekdayOf(dayStart, utcOffsetMin));
      return technicians.map((t) => ({ ...t, available: t.available && working }));
    },
  };
  const figures = (o: StreamOutcome) => {
    const sla = o.bookings.filter((b) => judged.has(b.jobId));
    const missedUnassigned = o.unassigned.filter((id) => judged.has(id)).length;
    return {
      travelKm: round(o.travelKm, 1),
      slaMetPct:
        judged.size > 0
          ? round((sla.filter((b) => b.slaMet).length / (sla.length + missedUnassigned)) * 100, 1)
          : 0,
      unassigned: o.unassigned.length,
      jobs: jobs.length,
    };
  };
  const greedy = replayDispatchStream(jobs, 'greedy', options);
  const planner = replayDispatchStream(jobs, 'planner', options);
  const hindsight = hindsightDispatch(jobs, planner, options);
  const hindsightNoLater = hindsightDispatch(jobs, planner, { ...options, noLaterThanOnline: true });
  const g = figures(greedy);
  const p = figures(planner);
  const reduction = (o: StreamOutcome) =>
    greedy.travelKm > 0 ? round(((greedy.travelKm - o.travelKm) / greedy.travelKm) * 100, 1) : null;
  return {
    days: new Set(planner.bookings.map((b) => b.dayStart)).size,
    jobs: jobs.length,
    greedy: g,
    planner: p,
    travelReductionPct: reduction(planner),
    slaGainPts: round(p.slaMetPct - g.slaMetPct, 1),
    hindsight: { ...figures(hindsight), travelReductionPct: reduction(hindsight) },
    hindsightNoLater: { ...figures(hindsightNoLater), travelReductionPct: reduction(hindsightNoLater) },
  };
}

/**
 * The backtest's visits as jobs of a stream, in the same order (`job-<index>`). A visit that a later
 * visit of the same ticket followed (a revisit for a part it lacked) must have started by the time that
 * revisit was planned (the technician found the part missing on arrival): the revisit exists because
 * this visit had happened. Its window
 * closes there, so no rule, hindsight included, can put it after the visit that follows it.
 * An AMC visit the route fill held goes to the partner servicing its site, as the platform sends it:
 * the partner of the technician who did it (`partnerOf`); every AMC visit counts against the AMC share
 * of its technician's partner.
 */
export function streamJobsOf(
  visits: readonly VisitRecord[],
  partnerOf: ReadonlyMap<string, string> = new Map(),
): StreamJob[] {
  const followUpPlanned = new Map<number, number>();
  const byTicket = new Map<string, number[]>();
  for (const [i, v] of visits.entries()) byTicket.set(v.ticketId, [...(byTicket.get(v.ticketId) ?? []), i]);
  for (const indexes of byTicket.values()) {
    const inOrder = [...indexes].sort((a, b) => visits[a]!.start - visits[b]!.start);
    for (let k = 0; k + 1 < inOrder.length; k++)
      followUpPlanned.set(inOrder[k]!, visits[inOrder[k + 1]!]!.planned.at);
  }
  return visits.map((v, i) => {
    const durationMinutes = Math.max(1, Math.round((v.end - v.start) / 60_000));
    const followUp = followUpPlanned.get(i);
    const end =
      followUp === undefined
        ? v.planned.within.end
        : // At least a minute, as a booked job is held: a zero-length window takes no job at all.
          Math.min(v.planned.within.end, Math.max(followUp, v.start + 60_000));
    return {
      id: `job-${i}`,
      position: v.position,
      skill: (v.skill ?? 'general_service') as Skill,
      certificationRequired: v.certificationRequired,
      durationMinutes,
      slaDueAt: v.slaDueAt,
      // Held work is known from its window's start, and the greedy rule books it then.
      arrivesAt: v.fitsRoutes ? v.planned.within.start : v.planned.at,
      within: { start: v.planned.within.start, end },
      priority: v.priority,
      fitsRoutes: v.fitsRoutes,
      ...(v.releaseAt === undefined ? {} : { releaseAt: v.releaseAt }),
      ...(v.kind === 'amc_visit' ? { amcShare: true } : {}),
      ...(v.kind === 'amc_visit' && v.fitsRoutes && partnerOf.has(v.technicianId)
        ? { partnerId: partnerOf.get(v.technicianId)! }
        : {}),
    };
  });
}
