import { greedyDispatch } from './dispatch-greedy.ts';
import { type PlanDispatchOptions, planDispatch } from './dispatch-plan.ts';
import type { DispatchDay, DispatchMetrics, DispatchPlan } from './dispatch-types.ts';

export interface DispatchComparison {
  greedy: DispatchMetrics;
  planned: DispatchMetrics;
  /** (greedy km − planned km) ÷ greedy km × 100: positive when the planner drives less. */
  travelReductionPct: number;
  /** Planned SLA met % minus greedy's, in percentage points. */
  slaGainPts: number;
  plans: { greedy: DispatchPlan; planned: DispatchPlan };
}

/** Plans the same day with the greedy rule and the planner, and puts their figures side by side. */
export function compareDispatch(day: DispatchDay, options: PlanDispatchOptions = {}): DispatchComparison {
  const greedy = greedyDispatch(day);
  const planned = planDispatch(day, options);
  const g = greedy.metrics;
  const p = planned.metrics;
  return {
    greedy: g,
    planned: p,
    travelReductionPct:
      g.travelKm === 0 ? 0 : Math.round(((g.travelKm - p.travelKm) / g.travelKm) * 1000) / 10,
    slaGainPts: Math.round((p.slaMetPct - g.slaMetPct) * 100) / 100,
    plans: { greedy, planned },
  };
}
