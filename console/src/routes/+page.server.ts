import { ticketsDependency } from '$lib/live-keys.ts';
import { atRiskProbability } from '$lib/risk-scale.ts';
import { apiFor } from '$lib/server/api.ts';
import { healthByModel, loadFleet } from '$lib/server/fleet.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import { ticketSummary } from '$lib/server/tickets.ts';
import type { PageServerLoad } from './$types';

const topRiskCount = 12;

export const load: PageServerLoad = async ({ locals, depends }) => {
  depends(ticketsDependency);
  const api = apiFor(locals);
  try {
    const [fleet, tickets] = await Promise.all([loadFleet(api), ticketSummary(api)]);
    const { rows, totals } = healthByModel(fleet.devices);
    const open = fleet.risks?.filter((r) => r.pFail >= atRiskProbability) ?? [];
    const lastScored = fleet.risks?.reduce((max, r) => Math.max(max, r.scoredAt), 0) || null;
    return {
      title: 'Fleet overview',
      deviceCount: fleet.devices.length,
      online: fleet.devices.filter((d) => d.online === true).length,
      presence: fleet.presence,
      byModel: rows,
      totals,
      risksAvailable: fleet.risks !== null,
      scoredComponents: fleet.scoredComponents,
      openRiskCount: open.length,
      lastScored,
      topRisks: open.sort((a, b) => b.pFail - a.pFail).slice(0, topRiskCount),
      tickets,
    };
  } catch (err) {
    rethrowForPage(err);
  }
};
