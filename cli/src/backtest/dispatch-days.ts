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
  const jobs: StreamJob[] = visits.map((v, i) => ({
    id: `job-${i}`,
    position: v.position,
    skill: (v.skill ?? 'general_service') as Skill,
    certificationRequired: v.certificationRequired,
    durationMinutes: Math.max(1, Math.round((v.end - v.start) / 60_000)),
    slaDueAt: v.slaDueAt,
    arrivesAt: v.planned.at,
    within: v.planned.within,
    priority: v.priority,
  }));
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
