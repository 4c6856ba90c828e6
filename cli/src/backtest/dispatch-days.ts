import type { Skill } from '@aftercare/core';
import {
  compareDispatch,
  type DispatchDay,
  type DispatchJob,
  localDayStart,
  type Technician,
  weekdayOf,
} from '@aftercare/service/automation';
import type { DispatchComparisonFigures, VisitRecord } from './backtest-types.ts';
import { DAY_MS } from './backtest-types.ts';
import { round } from './ledger.ts';

/** Technicians work Monday to Saturday (as the demo world seeds them), in local time (0 = Sunday). */
const workingWeekdays = new Set([1, 2, 3, 4, 5, 6]);

/**
 * The greedy rule (nearest free qualified technician) and the planner on the backtest's own days:
 * each local day's visits become that day's jobs (where, skill, certification, time on site, SLA due,
 * priority; no appointment window, so both may place a job anywhere in the working day), given to the
 * same technicians. Summed over the days: travel, SLA met and jobs left unassigned.
 */
export function compareDispatchDays(
  visits: readonly VisitRecord[],
  technicians: readonly Technician[],
  utcOffsetMin: number,
  options: { improvementRounds?: number; seed?: number } = {},
): DispatchComparisonFigures {
  const byDay = new Map<number, VisitRecord[]>();
  for (const v of visits) {
    const day = localDayStart(v.start, utcOffsetMin);
    byDay.set(day, [...(byDay.get(day) ?? []), v]);
  }
  const total = {
    greedy: { travelKm: 0, slaMet: 0, unassigned: 0, jobs: 0 },
    planner: { travelKm: 0, slaMet: 0, unassigned: 0, jobs: 0 },
  };
  for (const [dayStart, list] of [...byDay].sort((a, b) => a[0] - b[0])) {
    const working = workingWeekdays.has(weekdayOf(dayStart, utcOffsetMin));
    const jobs: DispatchJob[] = list.map((v, i) => ({
      id: `job-${i}`,
      position: v.position,
      skill: (v.skill ?? 'general_service') as Skill,
      certificationRequired: v.certificationRequired,
      durationMinutes: Math.max(1, Math.round((v.end - v.start) / 60_000)),
      // A revisit (for a part) carries no SLA of its own: the first visit was judged on it.
      slaDueAt: v.first ? v.slaDueAt : dayStart + DAY_MS,
      window: null,
      priority: v.priority,
    }));
    const day: DispatchDay = {
      dayStart,
      technicians: technicians.map((t) => ({ ...t, available: t.available && working })),
      jobs,
    };
    const comparison = compareDispatch(day, {
      improvementRounds: options.improvementRounds ?? 50,
      seed: options.seed ?? 1,
    });
    for (const [side, m] of [
      ['greedy', comparison.greedy],
      ['planner', comparison.planned],
    ] as const) {
      total[side].travelKm += m.travelKm;
      total[side].slaMet += m.slaMet;
      total[side].unassigned += m.unassigned;
      total[side].jobs += m.jobs;
    }
  }
  const figures = (t: (typeof total)['greedy']) => ({
    travelKm: round(t.travelKm, 1),
    slaMetPct: t.jobs > 0 ? round((t.slaMet / t.jobs) * 100, 1) : 0,
    unassigned: t.unassigned,
    jobs: t.jobs,
  });
  const greedy = figures(total.greedy);
  const planner = figures(total.planner);
  return {
    days: byDay.size,
    jobs: visits.length,
    greedy,
    planner,
    travelReductionPct:
      total.greedy.travelKm > 0
        ? round(((total.greedy.travelKm - total.planner.travelKm) / total.greedy.travelKm) * 100, 1)
        : null,
    slaGainPts: round(planner.slaMetPct - greedy.slaMetPct, 1),
  };
}
