import { buildPlan, compileProblem } from './dispatch-problem.ts';
import { RouteSearch } from './dispatch-search.ts';
import type { DispatchDay, DispatchPlan } from './dispatch-types.ts';

export interface PlanDispatchOptions {
  /** Seed of the ruin-and-recreate rounds; the same day and seed always give the same plan. */
  seed?: number;
  /** Ruin-and-recreate rounds after the first local optimum (0 = construction and local search only). */
  improvementRounds?: number;
}

export const defaultImprovementRounds = 100;

/**
 * Plans a day's dispatch: builds routes by regret insertion (the job with the fewest good places goes
 * first), improves them by local search and ruin-and-recreate, minimising travel plus heavy penalties for
 * SLA misses (×60 km per priority weight) and unassigned jobs (×400 km), with a mild charge on long days
 * that spreads the load. Hard constraints, never traded: the skill, a certification valid on the day when
 * the job needs one, the technician's availability, working hours, capacity and the appointment window.
 */
export function planDispatch(day: DispatchDay, options: PlanDispatchOptions = {}): DispatchPlan {
  const p = compileProblem(day);
  const search = new RouteSearch(
    p,
    p.starts.map(() => []),
    p.open,
  );
  search.insertPool();
  search.localSearch();
  search.ruinAndRecreate(options.improvementRounds ?? defaultImprovementRounds, options.seed ?? 1);
  return buildPlan(p, search.routes, 'optimised');
}
