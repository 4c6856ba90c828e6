import { apiFor } from '$lib/server/api.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import {
  insightFilterNotFound,
  loadScorecards,
  modelChoices,
  periodOptions,
  readInsightFilter,
} from '$lib/server/insights.ts';
import type { PageServerLoad } from './$types';

const partnerKinds: Record<string, string> = {
  authorised_centre: 'Authorised centre',
  franchise: 'Franchise',
  mobile_van: 'Mobile van',
};

/** A scorecard per service partner: the transparency manufacturers ask of their service network. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const api = apiFor(locals);
  const filter = readInsightFilter(url.searchParams);
  const base = { title: 'Partner scorecards', filter, periods: periodOptions, modelOptions: modelChoices() };
  try {
    const cards = await loadScorecards(api, filter);
    if (cards === null) return { ...base, available: false as const };
    const items = cards.items.map((c) => ({ ...c, kindLabel: partnerKinds[c.kind] ?? c.kind }));
    const all = items.reduce(
      (s, c) => ({
        jobs: s.jobs + c.jobs,
        slaMet: s.slaMet + (c.kpis.slaCompliance ?? 0) * c.kpis.slaEvaluated,
        slaEvaluated: s.slaEvaluated + c.kpis.slaEvaluated,
        toReturn: s.toReturn + c.partsToReturn,
        returned: s.returned + c.partsReturned,
      }),
      { jobs: 0, slaMet: 0, slaEvaluated: 0, toReturn: 0, returned: 0 },
    );
    return {
      ...base,
      available: true as const,
      items: items.sort((a, b) => b.jobs - a.jobs || a.name.localeCompare(b.name)),
      totals: {
        partners: items.length,
        jobs: all.jobs,
        sla: all.slaEvaluated === 0 ? null : all.slaMet / all.slaEvaluated,
        returned: all.toReturn === 0 ? null : all.returned / all.toReturn,
      },
    };
  } catch (err) {
    rethrowForPage(err, insightFilterNotFound(filter));
  }
};
