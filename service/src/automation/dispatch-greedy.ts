import { buildPlan, compileProblem, type Problem, startMinute } from './dispatch-problem.ts';
import type { DispatchDay, DispatchPlan } from './dispatch-types.ts';
import { driveMinutes } from './geo.ts';

/**
 * The obvious rule a dispatcher follows by hand, kept as the baseline the planner is measured against:
 * take the jobs in SLA order (earliest due first, then priority), and give each to the nearest qualified
 * technician (measured from where they will be after their last job) who can still fit it at the end of
 * their day. It obeys the same hard constraints as the planner; it just never reconsiders.
 */
export function greedyDispatch(day: DispatchDay): DispatchPlan {
  const p = compileProblem(day);
  return buildPlan(p, greedyRoutes(p, p.open), 'greedy');
}

/** Appends each job of `jobs`, in SLA order, to the nearest technician who can take it. */
export function greedyRoutes(p: Problem, jobs: readonly number[]): number[][] {
  const size = p.n + p.m;
  const routes: number[][] = p.starts.map(() => []);
  const state = p.starts.map((s) => ({ time: s.startMin, node: s.startNode, work: 0 }));
  const order = [...jobs].sort((a, b) => p.sla[a]! - p.sla[b]! || p.weight[b]! - p.weight[a]! || a - b);
  for (const j of order) {
    const byDistance = [...p.candidates[j]!].sort(
      (a, b) => p.km[state[a]!.node * size + j]! - p.km[state[b]!.node * size + j]! || a - b,
    );
    for (const t of byDistance) {
      const s = state[t]!;
      const start = p.starts[t]!;
      const begin = startMinute(p, j, s.time + driveMinutes(p.km[s.node * size + j]!));
      const end = begin + p.duration[j]!;
      if (begin > p.winEnd[j]! || end > start.endMin || s.work + p.duration[j]! > start.capacityLeft)
        continue;
      routes[t]!.push(j);
      state[t] = { time: end, node: j, work: s.work + p.duration[j]! };
      break;
    }
  }
  return routes;
}
